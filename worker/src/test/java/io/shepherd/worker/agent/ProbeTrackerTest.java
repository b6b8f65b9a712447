package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.ProbeTracker.Kind.LIVENESS;
import static io.shepherd.worker.agent.ProbeTracker.Kind.READINESS;
import static io.shepherd.worker.agent.ProbeTracker.Kind.STARTUP;
import static io.shepherd.worker.agent.ProbeTracker.Status.FAILING;
import static io.shepherd.worker.agent.ProbeTracker.Status.PASSING;
import static io.shepherd.worker.agent.ProbeTracker.Status.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.agent.ProbeTracker.Action;
import io.shepherd.worker.agent.ProbeTracker.Gate;
import io.shepherd.worker.agent.ProbeTracker.Kind;
import io.shepherd.worker.agent.ProbeTracker.Reason;
import io.shepherd.worker.agent.ProbeTracker.Result;
import io.shepherd.worker.agent.ProbeTracker.State;
import io.shepherd.worker.agent.ProbeTracker.Status;
import io.shepherd.worker.agent.ProbeTracker.Step;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The probe outcome: consecutive results against thresholds, startup holding the others, the initial delay. */
class ProbeTrackerTest {
  private static final Instant STARTED = Instant.parse("2030-01-01T00:00:00Z");
  private static final Result OK = Result.pass("status 200");
  private static final Result TIMEOUT = Result.fail("connect timed out");

  // ---- one result against the thresholds ------------------------------------------------------------------------

  /** Thresholds: 2 successes, 3 failures. */
  static Stream<Arguments> results() {
    return Stream.of(
        row("a first success below the success threshold waits", READINESS, State.INITIAL, OK,
            new State(UNKNOWN, 1, 0, "status 200"), Reason.COUNTING_SUCCESSES, null),
        row("the success that reaches the threshold makes the probe pass", READINESS,
            new State(UNKNOWN, 1, 0, ""), OK, new State(PASSING, 2, 0, "status 200"), Reason.PASSED,
            "readiness probe passed"),
        row("a failing probe passes again only after threshold successes", READINESS,
            new State(FAILING, 0, 5, "x"), OK, new State(FAILING, 1, 0, "status 200"), Reason.COUNTING_SUCCESSES,
            null),
        row("a failing probe that reaches the success threshold passes", READINESS,
            new State(FAILING, 1, 0, "x"), OK, new State(PASSING, 2, 0, "status 200"), Reason.PASSED,
            "readiness probe passed"),
        row("a success of a passing probe changes nothing but the count", LIVENESS,
            new State(PASSING, 7, 0, ""), OK, new State(PASSING, 8, 0, "status 200"), Reason.STILL_PASSING, null),
        row("a failure below the failure threshold waits", LIVENESS,
            new State(PASSING, 4, 1, ""), TIMEOUT, new State(PASSING, 0, 2, "connect timed out"),
            Reason.COUNTING_FAILURES, null),
        row("a success resets the failures", LIVENESS,
            new State(PASSING, 0, 2, ""), OK, new State(PASSING, 1, 0, "status 200"), Reason.STILL_PASSING, null),
        row("a failure resets the successes", READINESS,
            new State(UNKNOWN, 1, 0, ""), TIMEOUT, new State(UNKNOWN, 0, 1, "connect timed out"),
            Reason.COUNTING_FAILURES, null),
        row("the failure that reaches the threshold fails the probe, with its last output", LIVENESS,
            new State(PASSING, 0, 2, ""), TIMEOUT, new State(FAILING, 0, 3, "connect timed out"), Reason.FAILED,
            "liveness probe failed 3 times: connect timed out"),
        row("a probe that never passed fails at the threshold", STARTUP,
            new State(UNKNOWN, 0, 2, ""), TIMEOUT, new State(FAILING, 0, 3, "connect timed out"), Reason.FAILED,
            "startup probe failed 3 times: connect timed out"),
        row("past the threshold a failing probe fails again without a new flip", LIVENESS,
            new State(FAILING, 0, 3, ""), TIMEOUT, new State(FAILING, 0, 4, "connect timed out"),
            Reason.STILL_FAILING, null));
  }

  private static Arguments row(String what, Kind kind, State before, Result result, State after, Reason reason,
      String flip) {
    return Arguments.of(what, kind, before, result, after, reason, Optional.ofNullable(flip));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("results")
  void oneResult(String what, Kind kind, State before, Result result, State after, Reason reason,
      Optional<String> flip) {
    Step step = ProbeTracker.observe(kind, before, result, 2, 3);

    assertThat(step).isEqualTo(new Step(after, reason, flip));
  }

  @Test
  void aResultSaysWhetherItPassedAndWhatItSaid() {
    assertThat(Result.pass("status 204")).isEqualTo(new Result(true, "status 204"));
    assertThat(Result.fail("connection refused")).isEqualTo(new Result(false, "connection refused"));
  }

  @Test
  void withThresholdsOfOneTheFirstResultDecides() {
    assertThat(ProbeTracker.observe(READINESS, State.INITIAL, OK, 1, 1).reason()).isEqualTo(Reason.PASSED);
    assertThat(ProbeTracker.observe(LIVENESS, State.INITIAL, TIMEOUT, 1, 1).flip())
        .contains("liveness probe failed 1 time: connect timed out");
  }

  @Test
  void aSequenceOfResultsFlipsReadinessFalseTrueFalse() {
    List<Result> results = List.of(TIMEOUT, OK, TIMEOUT, OK, OK, TIMEOUT, TIMEOUT, TIMEOUT);
    State s = State.INITIAL;
    StringBuilder statuses = new StringBuilder();
    for (Result r : results) {
      s = ProbeTracker.observe(READINESS, s, r, 2, 3).after();
      statuses.append(s.status().name().charAt(0));
    }
    // U: unknown, P: passing, F: failing.
    assertThat(statuses).hasToString("UUUUPPPF");
  }

  // ---- when a probe runs ----------------------------------------------------------------------------------------

  static Stream<Arguments> gates() {
    Optional<Status> none = Optional.empty();
    return Stream.of(
        Arguments.of("a probe runs at once without an initial delay", READINESS, 0, 0, none, Gate.RUN),
        Arguments.of("a probe waits for its initial delay", LIVENESS, 999, 1000, none, Gate.INITIAL_DELAY),
        Arguments.of("a probe runs when its initial delay is over", LIVENESS, 1000, 1000, none, Gate.RUN),
        Arguments.of("liveness waits for a startup probe that has not passed", LIVENESS, 5000, 0,
            Optional.of(UNKNOWN), Gate.HELD_BY_STARTUP),
        Arguments.of("readiness waits for a failing startup probe", READINESS, 5000, 0,
            Optional.of(FAILING), Gate.HELD_BY_STARTUP),
        Arguments.of("liveness runs once startup passed", LIVENESS, 5000, 0, Optional.of(PASSING), Gate.RUN),
        Arguments.of("startup holds before the initial delay counts", READINESS, 0, 1000, Optional.of(UNKNOWN),
            Gate.HELD_BY_STARTUP),
        Arguments.of("the initial delay counts once startup passed", READINESS, 10, 1000, Optional.of(PASSING),
            Gate.INITIAL_DELAY),
        Arguments.of("startup runs until it passes", STARTUP, 0, 0, Optional.of(UNKNOWN), Gate.RUN),
        Arguments.of("startup runs again after failures below its threshold", STARTUP, 0, 0, Optional.of(FAILING),
            Gate.RUN),
        Arguments.of("startup waits for its initial delay", STARTUP, 10, 20, Optional.of(UNKNOWN),
            Gate.INITIAL_DELAY),
        Arguments.of("startup runs no more once it passed", STARTUP, 0, 0, Optional.of(PASSING), Gate.STARTUP_DONE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gates")
  void whenAProbeRuns(String what, Kind kind, long afterStartMs, long initialDelayMs, Optional<Status> startup,
      Gate gate) {
    assertThat(ProbeTracker.gate(kind, STARTED.plusMillis(afterStartMs), STARTED, initialDelayMs, startup))
        .isEqualTo(gate);
  }

  // ---- what a flip does -----------------------------------------------------------------------------------------

  static Stream<Arguments> actions() {
    return Stream.of(
        Arguments.of("readiness passing marks the copy ready", READINESS, PASSING, Action.READY),
        Arguments.of("readiness failing marks the copy unready", READINESS, FAILING, Action.UNREADY),
        Arguments.of("liveness failing stops the copy", LIVENESS, FAILING, Action.STOP),
        Arguments.of("liveness passing does nothing", LIVENESS, PASSING, Action.NONE),
        Arguments.of("startup failing stops the copy", STARTUP, FAILING, Action.STOP),
        Arguments.of("startup passing does nothing but release the others", STARTUP, PASSING, Action.NONE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("actions")
  void whatAFlipDoes(String what, Kind kind, Status status, Action action) {
    assertThat(ProbeTracker.act(kind, status)).isEqualTo(action);
  }

  @Test
  void aCopyWithAReadinessProbeRegistersUnreadyAndOneWithoutReady() {
    assertThat(ProbeTracker.readyAtRegistration(true)).isFalse();
    assertThat(ProbeTracker.readyAtRegistration(false)).isTrue();
  }

  @Test
  void kindsAreNamedInLowercaseInMessages() {
    assertThat(Stream.of(Kind.values()).map(Kind::label)).containsExactly("startup", "liveness", "readiness");
  }
}
