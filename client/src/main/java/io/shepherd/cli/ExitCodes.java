package io.shepherd.cli;

/** The exit codes of {@code shepherd}; scripts may rely on them. */
final class ExitCodes {
  /** Done. */
  static final int OK = 0;
  /** The server refused (not found, conflict, version mismatch, other 4xx), or a wait timed out. */
  static final int REFUSED = 1;
  /** Usage error or bad input: unknown option, unreadable or invalid spec file, invalid value (locally or 400/422). */
  static final int BAD_INPUT = 2;
  /** No configured server could serve the request: unreachable, timed out, or 5xx. */
  static final int UNAVAILABLE = 3;
  /** A request that is not safe to repeat reached a server that failed before answering: it may have taken effect. */
  static final int OUTCOME_UNKNOWN = 4;
  /** A rollout that was waited for ended FAILED or REVERTED. */
  static final int ROLLOUT_FAILED = 5;

  private ExitCodes() {}
}
