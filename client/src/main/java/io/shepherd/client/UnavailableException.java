package io.shepherd.client;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * No configured server could serve the call: each attempt failed to connect, timed out, or got a 5xx. The
 * message and {@link #failures()} say which server failed how, in the order they were tried.
 */
public final class UnavailableException extends ShepherdException {
  /** One failed attempt: the server tried and what went wrong. */
  public record Failure(URI server, String reason) {
    @Override
    public String toString() {
      return server + " (" + reason + ")";
    }
  }

  private final List<Failure> failures;

  UnavailableException(String call, List<Failure> failures, Throwable cause) {
    super("no Shepherd server could serve " + call + ": "
        + failures.stream().map(Failure::toString).collect(Collectors.joining("; ")), cause);
    this.failures = List.copyOf(failures);
  }

  /** Every failed attempt, in order. */
  public List<Failure> failures() {
    return failures;
  }
}
