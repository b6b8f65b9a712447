package io.shepherd.worker.agent;

import io.shepherd.worker.record.LocalRestartPolicy;
import io.shepherd.worker.record.RestartWindow;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether an agent restarts an ended copy in place, when, or gives it back to the leader: a pure function of how
 * the copy ended, its count so far (kept in its assignment), its policy and the time. No clock, no I/O.
 *
 * <ul>
 *   <li>A copy its agent stopped (scale down, delete, a session change, a partition policy) is never restarted;
 *       a copy that cannot be started at all is given back.
 *   <li>A restart a user asked for is carried out at once and counts neither as an attempt nor as a crash.
 *   <li>Otherwise at most {@code localAttempts} restarts within {@code windowMs}; the window starts afresh once it
 *       has passed.
 *   <li>A copy that ran at least {@code minUptimeMs} did not crash: restarted at once. A crash is restarted at once
 *       the first time in a row, then after {@link LocalRestartPolicy#backoffMs}; a run of {@code resetAfterMs}
 *       clears the crashes in a row.
 * </ul>
 */
final class RestartTracker {
  private RestartTracker() {}

  /** How the copy's process ended. */
  enum Ending {
    /** It exited or was killed, on its own or by someone other than its agent. */
    EXITED,
    /** It could not be started. */
    FAILED_TO_START,
    /** Its agent stopped it. */
    STOPPED_BY_AGENT,
    /** Its agent stopped it because a user asked for a restart. */
    RESTART_REQUESTED
  }

  /** Why the decision is what it is. */
  enum Reason {
    /** A user asked for the restart. */
    REQUESTED,
    /** The first crash in a row: restarted at once. */
    FIRST_RESTART,
    /** It ran at least the minimum uptime: not a crash, restarted at once. */
    RAN_LONG_ENOUGH,
    /** A crash in a row with no backoff configured. */
    NO_BACKOFF,
    /** A crash in a row: restarted after the backoff. */
    BACKOFF,
    /** Its agent stopped it: not restarted. */
    STOPPED_BY_AGENT,
    /** It could not be started: given back. */
    FAILED_TO_START,
    /** The spec allows no restart in place. */
    RESTARTS_DISABLED,
    /** It was restarted {@code localAttempts} times within the window: given back. */
    ATTEMPTS_EXHAUSTED
  }

  /**
   * One end of a copy's process.
   *
   * @param code  the exit code, negative for a signal
   * @param at    when it ended
   * @param ranMs how long it ran
   */
  record Exit(Ending ending, int code, Instant at, long ranMs) {}

  /** The decision; every one names its reason. */
  sealed interface Decision permits RestartNow, RestartAt, GiveUp {
    Reason reason();
  }

  /** Start it again now; {@code window} is the count to store. */
  record RestartNow(Reason reason, Optional<RestartWindow> window) implements Decision {}

  /** Start it again at {@code at}; until then it waits in BACKOFF. */
  record RestartAt(Reason reason, Instant at, RestartWindow window) implements Decision {}

  /** Do not restart it here: the assignment ends as today. */
  record GiveUp(Reason reason) implements Decision {}

  static Decision decide(Exit exit, Optional<RestartWindow> history, LocalRestartPolicy policy, Instant now) {
    switch (exit.ending()) {
      case STOPPED_BY_AGENT:
        return new GiveUp(Reason.STOPPED_BY_AGENT);
      case FAILED_TO_START:
        return new GiveUp(Reason.FAILED_TO_START);
      case RESTART_REQUESTED:
        return new RestartNow(Reason.REQUESTED, history);
      default:
        break;
    }
    if (policy.localAttempts() <= 0) {
      return new GiveUp(Reason.RESTARTS_DISABLED);
    }
    RestartWindow w = history
        .filter(h -> now.toEpochMilli() - h.since().toEpochMilli() < policy.windowMs())
        .orElse(new RestartWindow(now, 0, 0));
    if (w.count() >= policy.localAttempts()) {
      return new GiveUp(Reason.ATTEMPTS_EXHAUSTED);
    }
    if (exit.ranMs() >= policy.minUptimeMs()) {
      return new RestartNow(Reason.RAN_LONG_ENOUGH, Optional.of(new RestartWindow(w.since(), w.count() + 1, 0)));
    }
    int before = exit.ranMs() >= policy.resetAfterMs() ? 0 : w.crashes();
    RestartWindow next = new RestartWindow(w.since(), w.count() + 1, before + 1);
    if (next.crashes() == 1) {
      return new RestartNow(Reason.FIRST_RESTART, Optional.of(next));
    }
    long backoff = policy.backoffMs(next.crashes());
    if (backoff <= 0) {
      return new RestartNow(Reason.NO_BACKOFF, Optional.of(next));
    }
    return new RestartAt(Reason.BACKOFF, now.plusMillis(backoff), next);
  }
}
