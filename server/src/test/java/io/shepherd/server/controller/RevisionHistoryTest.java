package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which stored revisions go when a new one is stored: the last ten are kept, and the stable one besides. */
class RevisionHistoryTest {
  private static Set<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toSet());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a new set's first revision", Set.of(), 1, 0, List.of()),
        Arguments.of("9 stored and a 10th: all kept", range(1, 9), 10, 9, List.of()),
        Arguments.of("10 stored and an 11th: the oldest goes", range(1, 10), 11, 10, List.of(1)),
        Arguments.of("11 stored (a lagging write) and a 12th: the two oldest go", range(1, 11), 12, 11, List.of(1, 2)),
        Arguments.of("10 stored and an 11th, the oldest stable: kept besides the last 10", range(1, 10), 11, 1,
            List.of()),
        Arguments.of("11 stored and a 12th, the oldest stable: only the second oldest goes", range(1, 11), 12, 1,
            List.of(2)),
        Arguments.of("the stable one among the last 10 protects nothing else", range(1, 11), 12, 7, List.of(1, 2)),
        Arguments.of("the stable one is the new one", range(1, 10), 11, 11, List.of(1)),
        Arguments.of("gaps: only numbers count, not how many were ever made", Set.of(1, 5, 9, 20, 21, 22, 23, 24, 25,
            26, 27), 28, 9, List.of(1, 5)),
        Arguments.of("the stable one already pruned is not named", range(3, 12), 13, 1, List.of(3)),
        Arguments.of("the new one already listed counts once", range(1, 11), 11, 0, List.of(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsTheLastTenAndTheStableOne(String name, Set<Integer> stored, int added, int stable, List<Integer> pruned) {
    assertThat(RevisionHistory.toPrune(stored, added, stable)).isEqualTo(pruned);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void whatIsLeftIsTheLastTenPlusTheStableOneIfOlder(String name, Set<Integer> stored, int added, int stable,
      List<Integer> pruned) {
    Set<Integer> left = Stream.concat(stored.stream(), Stream.of(added))
        .filter(r -> !RevisionHistory.toPrune(stored, added, stable).contains(r))
        .collect(Collectors.toSet());

    boolean stableOlder = stable > 0 && left.contains(stable)
        && left.stream().filter(r -> r > stable).count() >= RevisionHistory.KEPT;
    assertThat(left).hasSize(Math.min(RevisionHistory.KEPT, (int) Stream.concat(stored.stream(), Stream.of(added))
        .distinct().count()) + (stableOlder ? 1 : 0));
    assertThat(left).contains(added);
  }
}
