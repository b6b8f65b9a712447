package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.LastExit;
import java.time.Duration;
import java.time.Instant;

/**
 * What a restart in place needs from a copy's end: the input of {@link RestartTracker} and the assignment records
 * the agent writes. No I/O; {@link InPlaceRestarts} writes them.
 */
final class LocalRestarts {
  /** The stop reason of a copy stopped because a user asked for its restart. */
  static final String RESTART_REQUESTED = "restart requested";

  private LocalRestarts() {}

  /**
   * The tracker's view of the end of the process {@code running} describes; {@code stopIsFailure}: its agent stopped
   * it for a failed probe.
   */
  static RestartTracker.Exit exitOf(AssignmentRecord running, Copy.Exit exit, boolean stopIsFailure) {
    if (stopIsFailure) {
      // Stopped by its agent because its liveness or startup probe failed: the copy's failure, a crash whatever its
      // uptime (it may have hung long after it started), so that the backoff applies.
      return new RestartTracker.Exit(RestartTracker.Ending.EXITED, exit.code(), exit.at(), 0);
    }
    RestartTracker.Ending ending = exit.stoppedBecause()
        .map(why -> RESTART_REQUESTED.equals(why)
            ? RestartTracker.Ending.RESTART_REQUESTED : RestartTracker.Ending.STOPPED_BY_AGENT)
        .orElse(RestartTracker.Ending.EXITED);
    long ran = running.startedAt().map(t -> Math.max(0, Duration.between(t, exit.at()).toMillis())).orElse(0L);
    return new RestartTracker.Exit(ending, exit.code(), exit.at(), ran);
  }

  /** The decision for the end of {@code running}'s process at {@code now}. */
  static RestartTracker.Decision decide(AssignmentRecord running, RestartTracker.Exit exit, Instant now) {
    return RestartTracker.decide(exit, running.restartWindow(), running.restartPolicy(), now);
  }

  static LastExit lastExit(RestartTracker.Exit exit) {
    return new LastExit(exit.code(), exit.at(), exit.ranMs());
  }

  /** Whether a user asked for a restart the copy launched as {@code launched} has not served yet. */
  static boolean restartRequested(AssignmentRecord current, AssignmentRecord launched) {
    return current.restartRequested() > launched.restartServed();
  }

  /**
   * The running record to restart from: the copy's own, with a restart request (and who asked) or a stop request the
   * assignment as read now carries that the launched one does not (the agent writes without a version check and must
   * not lose them).
   */
  static AssignmentRecord base(AssignmentRecord running, AssignmentRecord current) {
    AssignmentRecord base = current.restartRequested() > running.restartRequested()
        ? running.withRestartRequested(current.restartRequested(), current.restartRequestedBy()) : running;
    return current.stopRequestedBy().isPresent() && base.stopRequestedBy().isEmpty()
        ? base.withStopRequested(current.stopRequestedBy().get()) : base;
  }
}
