package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EventIdsTest {
  @Test
  void idsOrderByTransactionThenByPositionWithinIt() {
    long zxid = 0x0000_0003_0000_0010L;
    assertThat(EventIds.of(zxid, 0)).isLessThan(EventIds.of(zxid, 1));
    assertThat(EventIds.of(zxid, EventIds.MAX_INDEX)).isLessThan(EventIds.of(zxid + 1, 0));
    // A new ZooKeeper epoch (the high 32 bits) orders after every transaction of the previous one.
    assertThat(EventIds.of(0x0000_0003_FFFF_FFFFL, EventIds.MAX_INDEX))
        .isLessThan(EventIds.of(0x0000_0004_0000_0000L, 0));
  }

  @Test
  void anIdGivesBackItsTransactionAndPosition() {
    long id = EventIds.of(0x0000_0002_0000_0abcL, 7);
    assertThat(EventIds.zxid(id)).isEqualTo(0x0000_0002_0000_0abcL);
    assertThat(EventIds.index(id)).isEqualTo(7);
    assertThat(id).isEqualTo((0x0000_0002_0000_0abcL << 12) | 7);
  }

  @Test
  void idsStayPositiveUpToTheLargestEpochTheSchemeAllows() {
    long largestZxid = (1L << 51) - 1;
    assertThat(EventIds.of(largestZxid, EventIds.MAX_INDEX)).isPositive();
    assertThatThrownBy(() -> EventIds.of(1L << 51, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventIds.of(5, EventIds.MAX_INDEX + 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clientIdsAreNonNegativeNumbersAndBlankMeansNone() {
    assertThat(EventIds.parse("12345")).isEqualTo(OptionalLong.of(12345));
    assertThat(EventIds.parse(" 0 ")).isEqualTo(OptionalLong.of(0));
    assertThat(EventIds.parse(null)).isEmpty();
    assertThat(EventIds.parse("")).isEmpty();
    assertThatThrownBy(() -> EventIds.parse("-1")).hasMessageContaining("non-negative");
    assertThatThrownBy(() -> EventIds.parse("abc")).hasMessageContaining("'abc'");
  }
}
