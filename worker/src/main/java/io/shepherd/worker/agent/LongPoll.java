package io.shepherd.worker.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The long-poll rule of the copy-facing local API, Consul's blocking queries: a request names the index it has
 * seen ({@code ?index=N}) and how long it may wait ({@code ?wait=30s}); it is answered at once if the index it
 * names is not the current one (moved on, or a different agent's), else when the index moves or the wait ends.
 * A request without an index is answered at once. Pure.
 */
final class LongPoll {
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
  static final Duration MAX_WAIT = Duration.ofMinutes(5);
  private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s|m)?");

  /** What to do with a request now. */
  enum Action {
    /** Answer with the current state. */
    ANSWER,
    /** Wait for the index to move (or the view to be known), then decide again. */
    WAIT,
    /** Answer 503: the agent is not connected to ZooKeeper, or its view of the set is not known yet. */
    UNAVAILABLE
  }

  private LongPoll() {}

  /**
   * @param seen     the index the request names; empty for a plain read
   * @param current  the current index of the view; empty while the view is not loaded yet
   * @param connected whether the agent's ZooKeeper session is connected (and its node registered in it)
   * @param waitOver whether the request's wait has ended
   */
  static Action decide(Optional<Long> seen, Optional<Long> current, boolean connected, boolean waitOver) {
    if (!connected) {
      return Action.UNAVAILABLE;
    }
    if (current.isEmpty()) {
      return waitOver || seen.isEmpty() ? Action.UNAVAILABLE : Action.WAIT;
    }
    if (seen.isEmpty() || !seen.get().equals(current.get()) || waitOver) {
      return Action.ANSWER;
    }
    return Action.WAIT;
  }

  /** {@code ?index=}: a non-negative whole number, or absent. */
  static Optional<Long> index(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(value);
      if (n >= 0) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below, with the parameter's name
    }
    throw new IllegalArgumentException("index: must be a non-negative whole number, got '" + value + "'");
  }

  /**
   * {@code ?wait=}: a duration such as {@code 500ms}, {@code 30s} or {@code 5m} (a bare number is seconds), at most
   * {@link #MAX_WAIT}; {@link #DEFAULT_WAIT} when absent.
   */
  static Duration waitOf(String value) {
    if (value == null) {
      return DEFAULT_WAIT;
    }
    Matcher m = WAIT.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      Duration d = switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      };
      if (d.compareTo(MAX_WAIT) <= 0) {
        return d;
      }
    }
    throw new IllegalArgumentException("wait: must be a duration such as 500ms, 30s or 5m, at most "
        + MAX_WAIT.toMinutes() + "m, got '" + value + "'");
  }
}
