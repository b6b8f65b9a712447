package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.server.state.BreakerState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MassLossBreakerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final MassLossBreaker breaker =
      new MassLossBreaker(new BreakerSettings(0.5, Duration.ofSeconds(30), 3));

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void withAWindowOfZeroOnlyALossAtOneInstantCounts() {
    MassLossBreaker instant = new MassLossBreaker(new BreakerSettings(0.5, Duration.ZERO, 3));
    instant.observe(10, at(0));
    assertThat(instant.observe(4, at(1))).as("a second later the peak of 10 is outside the window").isEmpty();
    instant.observe(10, at(2));
    assertThat(instant.observe(4, at(2))).hasValueSatisfying(s -> assertThat(s.open()).isTrue());
  }

  @Test
  void aNegativeWindowIsRefusedNamingIt() {
    assertThatThrownBy(() -> new BreakerSettings(0.5, Duration.ofSeconds(-1), 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("window:");
  }

  @Test
  void losingAFewNodesIsTreatedAsRealDeaths() {
    breaker.observe(10, at(0));
    assertThat(breaker.observe(9, at(1))).isEmpty();
    assertThat(breaker.observe(5, at(2))).as("exactly half is not more than half").isEmpty();
    assertThat(breaker.state().open()).isFalse();
  }

  @Test
  void losingMoreThanTheShareWithinTheWindowOpensIt() {
    breaker.observe(10, at(0));
    breaker.observe(6, at(5));
    BreakerState opened = breaker.observe(4, at(10)).orElseThrow();
    assertThat(opened.open()).isTrue();
    assertThat(opened.referenceNodes()).isEqualTo(10);
    assertThat(opened.reason()).contains("6 of 10 nodes vanished");
  }

  @Test
  void aSlowDeclineOutsideTheWindowDoesNotOpenIt() {
    breaker.observe(10, at(0));
    breaker.observe(7, at(20));
    breaker.observe(5, at(60));
    assertThat(breaker.observe(4, at(100))).isEmpty();
    assertThat(breaker.state().open()).isFalse();
  }

  @Test
  void tooFewNodesNeverOpenIt() {
    breaker.observe(2, at(0));
    assertThat(breaker.observe(0, at(1))).isEmpty();
  }

  @Test
  void losingMoreThanTheShareOfExactlyMinNodesOpensIt() {
    breaker.observe(3, at(0));
    BreakerState opened = breaker.observe(1, at(1)).orElseThrow();
    assertThat(opened.open()).isTrue();
    assertThat(opened.referenceNodes()).isEqualTo(3);
  }

  @Test
  void itClosesWhenEnoughNodesReturn() {
    breaker.observe(10, at(0));
    breaker.observe(2, at(1));
    assertThat(breaker.observe(4, at(2))).as("still more than half missing").isEmpty();
    BreakerState closed = breaker.observe(5, at(3)).orElseThrow();
    assertThat(closed.open()).isFalse();
  }

  @Test
  void anOperatorResetClosesItAndTheCurrentCountBecomesNormal() {
    breaker.observe(10, at(0));
    breaker.observe(2, at(1));
    assertThat(breaker.reset(2, at(2)).orElseThrow().open()).isFalse();
    assertThat(breaker.observe(2, at(3))).isEmpty();
    assertThat(breaker.observe(1, at(4))).as("1 of 2 lost is not more than half").isEmpty();
  }

  @Test
  void afterAResetLosingMostOfTheNodesLeftOpensItAgain() {
    breaker.observe(10, at(0));
    breaker.observe(4, at(1));
    breaker.reset(4, at(2));
    BreakerState reopened = breaker.observe(1, at(3)).orElseThrow();
    assertThat(reopened.open()).isTrue();
    assertThat(reopened.referenceNodes()).as("measured against the count at the reset").isEqualTo(4);
  }

  @Test
  void resettingAClosedBreakerChangesNothing() {
    breaker.observe(10, at(0));
    assertThat(breaker.reset(10, at(1))).isEmpty();
    assertThat(breaker.state().open()).isFalse();
  }

  @Test
  void anAdoptedOpenStateStaysOpenUntilNodesReturn() {
    breaker.adopt(BreakerState.opened(T0, 10, "from the previous leader"));
    assertThat(breaker.observe(3, at(1))).isEmpty();
    assertThat(breaker.observe(6, at(2)).orElseThrow().open()).isFalse();
  }
}
