package io.shepherd.api;

import java.time.Instant;

/**
 * How a copy's previous process ended, before its agent restarted it in place.
 *
 * @param code its exit code; a negative number is the signal that ended it ({@code -9} for SIGKILL)
 * @param at   when it ended
 */
public record LastExit(int code, Instant at) {

  /** {@code "exit 3"} or {@code "signal 9"}. */
  public String describe() {
    return code < 0 ? "signal " + (-code) : "exit " + code;
  }
}
