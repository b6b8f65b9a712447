package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.RestartTracker.Ending.EXITED;
import static io.shepherd.worker.agent.RestartTracker.Ending.FAILED_TO_START;
import static io.shepherd.worker.agent.RestartTracker.Ending.RESTART_REQUESTED;
import static io.shepherd.worker.agent.RestartTracker.Ending.STOPPED_BY_AGENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.agent.RestartTracker.Decision;
import io.shepherd.worker.agent.RestartTracker.GiveUp;
import io.shepherd.worker.agent.RestartTracker.Reason;
import io.shepherd.worker.agent.RestartTracker.RestartAt;
import io.shepherd.worker.agent.RestartTracker.RestartNow;
import io.shepherd.worker.record.LocalRestartPolicy;
import io.shepherd.worker.record.RestartWindow;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The restart decision, one row per behaviour. Policy unless said otherwise: 3 attempts within 60 s, minimum uptime
 * 1 s, backoff 1 s doubling up to 4 s, crashes in a row forgotten after a run of 10 s.
 */
class RestartTrackerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final LocalRestartPolicy POLICY = new LocalRestartPolicy(3, 60_000L, 1_000L, 1_000L, 4_000L, 10_000L);

  /** An input and what must come out: the reason, when the next start is (null: now or never), the count after. */
  record Row(String name, RestartTracker.Ending ending, long ranMs, Optional<RestartWindow> history,
      LocalRestartPolicy policy, Reason reason, Long waitMs, RestartWindow after) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Optional<RestartWindow> window(long agoMs, int count, int crashes) {
    return Optional.of(new RestartWindow(NOW.minusMillis(agoMs), count, crashes));
  }

  private static RestartWindow fresh(int count, int crashes) {
    return new RestartWindow(NOW, count, crashes);
  }

  private static RestartWindow kept(long agoMs, int count, int crashes) {
    return new RestartWindow(NOW.minusMillis(agoMs), count, crashes);
  }

  static Stream<Row> rows() {
    Optional<RestartWindow> none = Optional.empty();
    return Stream.of(
        new Row("a copy that crashes for the first time is restarted at once", EXITED, 10, none, POLICY,
            Reason.FIRST_RESTART, null, fresh(1, 1)),
        new Row("the second crash in a row waits the initial backoff", EXITED, 10, window(5_000, 1, 1), POLICY,
            Reason.BACKOFF, 1_000L, kept(5_000, 2, 2)),
        new Row("the third crash in a row waits twice as long", EXITED, 10, window(5_000, 2, 2),
            POLICY, Reason.BACKOFF, 2_000L, kept(5_000, 3, 3)),
        new Row("the backoff never exceeds its maximum", EXITED, 10, window(5_000, 2, 9),
            POLICY, Reason.BACKOFF, 4_000L, kept(5_000, 3, 10)),
        new Row("a copy that ran its minimum uptime did not crash: restarted at once, crashes forgotten", EXITED,
            1_000, window(5_000, 2, 2), POLICY, Reason.RAN_LONG_ENOUGH, null, kept(5_000, 3, 0)),
        new Row("a copy that ran just short of its minimum uptime crashed", EXITED, 999, window(5_000, 1, 1), POLICY,
            Reason.BACKOFF, 1_000L, kept(5_000, 2, 2)),
        new Row("a run of resetAfterMs forgets the crashes in a row even below the minimum uptime", EXITED, 500,
            window(5_000, 1, 3), new LocalRestartPolicy(3, 60_000L, 1_000L, 1_000L, 4_000L, 500L),
            Reason.FIRST_RESTART, null, kept(5_000, 2, 1)),
        new Row("a run just short of resetAfterMs keeps the crashes in a row", EXITED, 499,
            window(5_000, 1, 1), new LocalRestartPolicy(3, 60_000L, 1_000L, 1_000L, 4_000L, 500L),
            Reason.BACKOFF, 1_000L, kept(5_000, 2, 2)),
        new Row("no backoff configured: a crash in a row is restarted at once", EXITED, 10, window(5_000, 1, 1),
            new LocalRestartPolicy(3, 60_000L, 1_000L, 0L, 0L, 10_000L), Reason.NO_BACKOFF, null, kept(5_000, 2, 2)),
        new Row("the last attempt of the window is still made", EXITED, 10_000, window(5_000, 2, 0), POLICY,
            Reason.RAN_LONG_ENOUGH, null, kept(5_000, 3, 0)),
        new Row("attempts used up within the window: given back", EXITED, 10_000, window(59_999, 3, 0), POLICY,
            Reason.ATTEMPTS_EXHAUSTED, null, null),
        new Row("once the window has passed the count starts afresh", EXITED, 10, window(60_000, 3, 3), POLICY,
            Reason.FIRST_RESTART, null, fresh(1, 1)),
        new Row("localAttempts 0: never restarted in place", EXITED, 10_000, Optional.empty(),
            new LocalRestartPolicy(0, 60_000L, 1_000L, 1_000L, 4_000L, 10_000L), Reason.RESTARTS_DISABLED, null,
            null),
        new Row("a copy that could not be started is given back", FAILED_TO_START, 0, window(5_000, 0, 0), POLICY,
            Reason.FAILED_TO_START, null, null),
        new Row("a copy its agent stopped is not restarted", STOPPED_BY_AGENT, 10_000, Optional.empty(), POLICY,
            Reason.STOPPED_BY_AGENT, null, null),
        new Row("a restart a user asked for is carried out at once, counting nothing", RESTART_REQUESTED, 10,
            window(5_000, 3, 2), POLICY, Reason.REQUESTED, null, kept(5_000, 3, 2)),
        new Row("a restart a user asked for ignores a policy without restarts", RESTART_REQUESTED, 10,
            Optional.empty(), new LocalRestartPolicy(0, 60_000L, 1_000L, 1_000L, 4_000L, 10_000L), Reason.REQUESTED,
            null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    RestartTracker.Exit exit = new RestartTracker.Exit(row.ending(), -9, NOW, row.ranMs());
    Decision d = RestartTracker.decide(exit, row.history(), row.policy(), NOW);
    assertThat(d.reason()).isEqualTo(row.reason());
    if (row.waitMs() != null) {
      assertThat(d).isInstanceOf(RestartAt.class);
      assertThat(((RestartAt) d).at()).isEqualTo(NOW.plusMillis(row.waitMs()));
      assertThat(((RestartAt) d).window()).isEqualTo(row.after());
    } else if (d instanceof RestartNow now) {
      assertThat(now.window()).isEqualTo(Optional.ofNullable(row.after()));
    } else {
      assertThat(d).isInstanceOf(GiveUp.class);
      assertThat(row.after()).isNull();
    }
  }

  @Test
  void theDefaultsAreTenAttemptsInTenMinutes() {
    assertThat(LocalRestartPolicy.DEFAULT.localAttempts()).isEqualTo(10);
    assertThat(LocalRestartPolicy.DEFAULT.windowMs()).isEqualTo(600_000L);
    assertThat(LocalRestartPolicy.DEFAULT.backoffMs(1)).isZero();
    assertThat(LocalRestartPolicy.DEFAULT.backoffMs(2)).isEqualTo(1_000L);
    assertThat(LocalRestartPolicy.DEFAULT.backoffMs(3)).isEqualTo(2_000L);
    assertThat(LocalRestartPolicy.DEFAULT.backoffMs(100)).isEqualTo(60_000L);
  }
}
