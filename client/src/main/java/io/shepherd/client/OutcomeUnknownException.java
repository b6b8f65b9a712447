package io.shepherd.client;

import java.net.URI;

/**
 * A call that is not safe to repeat (see {@link ShepherdClient#killInstance}) reached a server that then failed
 * (timed out, lost the connection, or answered a 5xx other than 503) before confirming. It may or may not have
 * taken effect, so the client did not send it again: read the state and decide.
 */
public final class OutcomeUnknownException extends ShepherdException {
  private final URI server;

  OutcomeUnknownException(String call, URI server, String reason, Throwable cause) {
    super(call + " may or may not have taken effect: " + server + " failed before answering (" + reason
        + "); it was not repeated because it is not idempotent", cause);
    this.server = server;
  }

  /** The server the call reached. */
  public URI server() {
    return server;
  }
}
