package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.RolloutReason;
import io.shepherd.server.state.StoredReplicaSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which revision an undo goes back to, and when it is refused. */
class UndoTargetTest {
  private static final ReplicaSetSpec V1 = ReplicaSetSpec.of(3, List.of("sleep", "1"));
  private static final ReplicaSetSpec V2 = ReplicaSetSpec.of(3, List.of("sleep", "2"));
  private static final ReplicaSetSpec V3 = ReplicaSetSpec.of(3, List.of("sleep", "3"));

  private static StoredReplicaSet atTwo() {
    return StoredReplicaSet.created(V1, "bob").newRevision(V2, "alice", RolloutReason.NEW_REVISION);
  }

  /** Revision 2 made, then undone to 1 by carol. */
  private static StoredReplicaSet undoneToOne() {
    return atTwo().backTo(1, V1, "carol", RolloutReason.UNDO);
  }

  /** Revision 3 made after an undo from 2 to 1: 1 ran before it, not 2. */
  private static StoredReplicaSet threeAfterAnUndo() {
    return undoneToOne().newRevision(V3, "dave", RolloutReason.NEW_REVISION);
  }

  /** A record written before the previous revision was recorded. */
  private static StoredReplicaSet legacyAtThree() {
    StoredReplicaSet s = threeAfterAnUndo();
    return new StoredReplicaSet(s.spec(), false, 3, 3, "dave", RolloutReason.NEW_REVISION, false, 0, Optional.empty());
  }

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of("plain undo of 2 goes to 1", atTwo(), OptionalInt.empty(), Set.of(1, 2), 1),
        Arguments.of("a second plain undo comes back to 2 (a toggle)", undoneToOne(), OptionalInt.empty(),
            Set.of(1, 2), 2),
        Arguments.of("plain undo goes to what ran before, not the number before", threeAfterAnUndo(),
            OptionalInt.empty(), Set.of(1, 2, 3), 1),
        Arguments.of("a named revision wins", threeAfterAnUndo(), OptionalInt.of(2), Set.of(1, 2, 3), 2),
        Arguments.of("without a recorded previous: the newest stored older one", legacyAtThree(),
            OptionalInt.empty(), Set.of(1, 2, 3), 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void goesTo(String name, StoredReplicaSet current, OptionalInt asked, Set<Integer> stored, int expected) {
    assertThat(UndoTarget.of("web", current, asked, stored)).isEqualTo(expected);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("a new set has nothing before it", StoredReplicaSet.created(V1, "bob"), OptionalInt.empty(),
            Set.of(1), 409, Optional.empty(), "no revision before 1"),
        Arguments.of("the current revision", atTwo(), OptionalInt.of(2), Set.of(1, 2), 409, Optional.empty(),
            "already runs revision 2"),
        Arguments.of("a revision never made", atTwo(), OptionalInt.of(7), Set.of(1, 2), 404, Optional.of("revision"),
            "revision 7 of replica set web is not stored"),
        Arguments.of("the previous one, pruned", atTwo(), OptionalInt.empty(), Set.of(2), 404,
            Optional.of("revision"), "revision 1 of replica set web is not stored"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(String name, StoredReplicaSet current, OptionalInt asked, Set<Integer> stored, int status,
      Optional<String> field, String message) {
    assertThatThrownBy(() -> UndoTarget.of("web", current, asked, stored))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(status);
          assertThat(e.field()).isEqualTo(field);
        })
        .hasMessageContaining(message);
  }
}
