package io.shepherd.worker.agent;

import java.time.Instant;
import java.util.Optional;

/**
 * The pure decisions about a copy's probes: whether a probe runs now, what one result does to its state, and what
 * the agent does when a probe's status flips. No I/O, no clock: {@code now} is an input.
 *
 * <p>A probe's status starts {@link Status#UNKNOWN}. {@code successThreshold} consecutive successes make it
 * {@link Status#PASSING}; {@code failureThreshold} consecutive failures make it {@link Status#FAILING}. A copy is
 * ready only while its readiness probe is PASSING. Startup holds liveness and readiness until it passes, and runs no
 * more once it has. Each probe waits {@code initialDelayMs} after the copy started.
 */
final class ProbeTracker {
  private ProbeTracker() {}

  /** Which probe. */
  enum Kind {
    STARTUP, LIVENESS, READINESS;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  enum Status { UNKNOWN, PASSING, FAILING }

  /** One run's outcome and what it said (the reason of a failure: "connect timed out", "status 503"). */
  record Result(boolean passed, String output) {
    static Result pass(String output) {
      return new Result(true, output);
    }

    static Result fail(String output) {
      return new Result(false, output);
    }
  }

  /** Where one probe stands: its status and its current run of successes or failures. */
  record State(Status status, int successes, int failures, String lastOutput) {
    static final State INITIAL = new State(Status.UNKNOWN, 0, 0, "");
  }

  /** Why a result left the status as it was, or changed it. */
  enum Reason {
    /** The successes reached the threshold: the probe passes. */
    PASSED,
    /** The failures reached the threshold: the probe fails. */
    FAILED,
    /** A success below the threshold: the status waits. */
    COUNTING_SUCCESSES,
    /** A failure below the threshold: the status waits. */
    COUNTING_FAILURES,
    /** A success of a probe that already passes. */
    STILL_PASSING,
    /** A failure of a probe that already fails. */
    STILL_FAILING
  }

  /** A result's effect: the new state, why, and the message of a flip (empty when the status did not change). */
  record Step(State after, Reason reason, Optional<String> flip) {}

  /** The effect of one result on a probe with these thresholds. */
  static Step observe(Kind kind, State before, Result result, int successThreshold, int failureThreshold) {
    if (result.passed()) {
      int successes = before.successes() + 1;
      if (before.status() == Status.PASSING) {
        return new Step(new State(Status.PASSING, successes, 0, result.output()), Reason.STILL_PASSING,
            Optional.empty());
      }
      if (successes >= successThreshold) {
        return new Step(new State(Status.PASSING, successes, 0, result.output()), Reason.PASSED,
            Optional.of(kind.label() + " probe passed"));
      }
      return new Step(new State(before.status(), successes, 0, result.output()), Reason.COUNTING_SUCCESSES,
          Optional.empty());
    }
    int failures = before.failures() + 1;
    if (before.status() == Status.FAILING) {
      return new Step(new State(Status.FAILING, 0, failures, result.output()), Reason.STILL_FAILING,
          Optional.empty());
    }
    if (failures >= failureThreshold) {
      return new Step(new State(Status.FAILING, 0, failures, result.output()), Reason.FAILED,
          Optional.of(kind.label() + " probe failed " + failures + (failures == 1 ? " time: " : " times: ")
              + result.output()));
    }
    return new Step(new State(before.status(), 0, failures, result.output()), Reason.COUNTING_FAILURES,
        Optional.empty());
  }

  /** Whether a probe runs at a tick, and why not. */
  enum Gate {
    RUN,
    /** Before the copy's start plus the probe's {@code initialDelayMs}. */
    INITIAL_DELAY,
    /** Liveness and readiness wait for the startup probe to pass. */
    HELD_BY_STARTUP,
    /** The startup probe passed and runs no more. */
    STARTUP_DONE
  }

  /**
   * Whether probe {@code kind} runs {@code now}, for a copy that started at {@code startedAt}; {@code startup} is the
   * startup probe's status, or empty when the copy has none.
   */
  static Gate gate(Kind kind, Instant now, Instant startedAt, long initialDelayMs, Optional<Status> startup) {
    boolean startupPassed = startup.map(s -> s == Status.PASSING).orElse(true);
    if (kind == Kind.STARTUP) {
      if (startupPassed) {
        return Gate.STARTUP_DONE;
      }
    } else if (!startupPassed) {
      return Gate.HELD_BY_STARTUP;
    }
    if (now.isBefore(startedAt.plusMillis(initialDelayMs))) {
      return Gate.INITIAL_DELAY;
    }
    return Gate.RUN;
  }

  /** What the agent does when a probe's status flips. */
  enum Action {
    NONE,
    /** Mark the instance ready. */
    READY,
    /** Mark the instance unready. */
    UNREADY,
    /** Stop the copy (SIGTERM, grace, SIGKILL) and record the flip's message as its failure. */
    STOP
  }

  /** The action for a flip of {@code kind} to {@code status}. */
  static Action act(Kind kind, Status status) {
    return switch (kind) {
      case READINESS -> status == Status.PASSING ? Action.READY : Action.UNREADY;
      case LIVENESS, STARTUP -> status == Status.FAILING ? Action.STOP : Action.NONE;
    };
  }

  /** Whether a copy with these probes is ready when it registers: only without a readiness probe. */
  static boolean readyAtRegistration(boolean hasReadinessProbe) {
    return !hasReadinessProbe;
  }
}
