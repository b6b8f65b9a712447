package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.server.state.BreakerState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The time comparison alone; the versioned write against ZooKeeper is {@link BreakerWritesIT}'s. */
class BreakerWritesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aStateDecidedLaterIsNewerAndOneNeverDecidedIsNot() {
    BreakerState opened = BreakerState.opened(T0, 10, "6 of 10 nodes vanished");
    BreakerState reset = BreakerState.closed(T0.plusSeconds(1), "reset by an operator");
    assertThat(BreakerWrites.isNewer(reset, opened)).isTrue();
    assertThat(BreakerWrites.isNewer(opened, reset)).isFalse();
    assertThat(BreakerWrites.isNewer(BreakerState.CLOSED, opened)).as("never decided before").isFalse();
  }
}
