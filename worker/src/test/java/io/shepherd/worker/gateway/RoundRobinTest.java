package io.shepherd.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The choice of a copy: round robin from the connection's turn, skipping the copies this connection tried. */
class RoundRobinTest {
  private static final Target A = new Target("web-a", "h1", 20_000);
  private static final Target B = new Target("web-b", "h1", 20_001);
  private static final Target C = new Target("web-c", "h2", 20_000);
  private static final List<Target> ABC = List.of(A, B, C);

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("no copy: nothing", List.of(), 0L, Set.of(), Optional.empty()),
        Arguments.of("turn 0: the first", ABC, 0L, Set.of(), Optional.of(A)),
        Arguments.of("turn 1: the second", ABC, 1L, Set.of(), Optional.of(B)),
        Arguments.of("turns wrap around", ABC, 5L, Set.of(), Optional.of(C)),
        Arguments.of("a huge turn still wraps", ABC, Long.MAX_VALUE, Set.of(), Optional.of(B)),
        Arguments.of("the copy refused: the next one", ABC, 0L, Set.of(A), Optional.of(B)),
        Arguments.of("two refused: the one left", ABC, 0L, Set.of(A, B), Optional.of(C)),
        Arguments.of("refused ones are skipped across the wrap", ABC, 2L, Set.of(C, A), Optional.of(B)),
        Arguments.of("every copy refused: nothing", ABC, 1L, Set.of(A, B, C), Optional.empty()),
        Arguments.of("a tried copy no longer listed changes nothing", List.of(B, C), 0L, Set.of(A), Optional.of(B)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void picksTheFirstUntriedCopyFromTheTurn(String row, List<Target> targets, long turn, Set<Target> tried,
      Optional<Target> expected) {
    assertThat(RoundRobin.pick(targets, turn, tried)).isEqualTo(expected);
  }

  @Test
  void newConnectionsTakeTheCopiesInTurn() {
    RoundRobin rr = new RoundRobin();
    List<Target> chosen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      chosen.add(rr.first(ABC).orElseThrow());
    }
    assertThat(chosen).containsExactly(A, B, C, A, B, C);
  }

  @Test
  void aRetryNeverReturnsACopyTheConnectionTried() {
    RoundRobin rr = new RoundRobin();
    Target first = rr.first(ABC).orElseThrow();
    Target second = rr.next(ABC, Set.of(first)).orElseThrow();
    Target third = rr.next(ABC, Set.of(first, second)).orElseThrow();

    assertThat(List.of(first, second, third)).containsExactlyInAnyOrder(A, B, C);
    assertThat(rr.next(ABC, Set.of(A, B, C))).isEmpty();
  }
}
