package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.Admission.DeferReason.DISCONNECTED;
import static io.shepherd.worker.agent.Admission.DeferReason.EPOCH_UNKNOWN;
import static io.shepherd.worker.agent.Admission.DeferReason.NOT_ASSIGNED;
import static io.shepherd.worker.agent.Admission.RefuseReason.EMPTY_COMMAND;
import static io.shepherd.worker.agent.Admission.RefuseReason.NODE_FULL;
import static io.shepherd.worker.agent.Admission.RefuseReason.STALE_EPOCH;
import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.OnPartition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent's decisions that need no ZooKeeper: admission and exit codes. */
class PureDecisionsTest {
  private static final List<String> CMD = List.of("sleep", "1");
  /** The transaction that set the epoch the agent knows. */
  private static final long EPOCH_SET_AT = 100;
  private static final long BEFORE = 50;
  private static final long AFTER = 150;

  // ---- admission ------------------------------------------------------------------------------------------------

  /** What the agent knows when it looks at an assignment of epoch 5 (unless said otherwise). */
  record Given(AssignmentRecord assignment, long createdAtZxid, Optional<Epoch> epoch, int copies, int capacity,
      boolean connected) {
    /** An epoch-5 assignment created after the epoch was set, on a connected node with room, under epoch 5. */
    static Given current() {
      return new Given(assigned(5, CMD), AFTER, PureDecisionsTest.epoch(5), 0, 1, true);
    }

    Given assignment(AssignmentRecord a) {
      return new Given(a, createdAtZxid, epoch, copies, capacity, connected);
    }

    Given createdAt(long zxid) {
      return new Given(assignment, zxid, epoch, copies, capacity, connected);
    }

    Given knowing(Optional<Epoch> e) {
      return new Given(assignment, createdAtZxid, e, copies, capacity, connected);
    }

    Given load(int copiesOnNode, int nodeCapacity) {
      return new Given(assignment, createdAtZxid, epoch, copiesOnNode, nodeCapacity, connected);
    }

    Given disconnected() {
      return new Given(assignment, createdAtZxid, epoch, copies, capacity, false);
    }

    Admission decide() {
      return Admission.decide(assignment, createdAtZxid, epoch, copies, capacity, connected);
    }
  }

  record Launches(String behaviour, Given given) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Launches> launches() {
    return Stream.of(
        new Launches("a current assignment on a node with room is launched", Given.current()),
        new Launches("an assignment newer than the epoch the agent knows is launched",
            Given.current().knowing(epoch(4))),
        new Launches("an older epoch's pending assignment that the new leader inherited is launched",
            Given.current().createdAt(BEFORE).knowing(epoch(6))),
        new Launches("an older epoch's assignment created by the transaction that moved the epoch on is launched",
            Given.current().createdAt(EPOCH_SET_AT).knowing(epoch(6))),
        new Launches("an assignment that takes the node's last free slot is launched", Given.current().load(1, 2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void launches(Launches row) {
    assertThat(row.given().decide()).isInstanceOf(Admission.Launch.class);
  }

  record Refuses(String behaviour, Given given, Admission.RefuseReason reason) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Refuses> refuses() {
    return Stream.of(
        new Refuses("an older epoch's assignment created after the epoch moved on is refused as stale",
            Given.current().knowing(epoch(6)), STALE_EPOCH),
        new Refuses("an assignment on a full node is refused", Given.current().load(2, 2), NODE_FULL),
        new Refuses("an assignment on a node over its capacity is refused", Given.current().load(3, 2), NODE_FULL),
        new Refuses("an assignment on a node of capacity 0 is refused", Given.current().load(0, 0), NODE_FULL),
        new Refuses("an assignment with an empty command is refused",
            Given.current().assignment(assigned(5, List.of())), EMPTY_COMMAND),
        new Refuses("a stale assignment is refused as stale even on a full node",
            Given.current().knowing(epoch(6)).load(1, 1), STALE_EPOCH),
        new Refuses("an assignment with an empty command is refused as full when the node is full",
            Given.current().assignment(assigned(5, List.of())).load(1, 1), NODE_FULL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void refuses(Refuses row) {
    assertThat(row.given().decide())
        .isInstanceOfSatisfying(Admission.Refuse.class, r -> assertThat(r.reason()).isEqualTo(row.reason()));
  }

  record Defers(String behaviour, Given given, Admission.DeferReason reason) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Defers> defers() {
    return Stream.of(
        new Defers("an assignment is waited on while the epoch is unknown",
            Given.current().knowing(Optional.empty()), EPOCH_UNKNOWN),
        new Defers("an assignment is waited on while the agent is disconnected",
            Given.current().disconnected(), DISCONNECTED),
        new Defers("an assignment already running is left alone",
            Given.current().assignment(assigned(5, CMD).running(7, Instant.EPOCH)), NOT_ASSIGNED),
        new Defers("a stale assignment is not refused while the agent is disconnected",
            Given.current().knowing(epoch(6)).disconnected(), DISCONNECTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void defers(Defers row) {
    assertThat(row.given().decide())
        .isInstanceOfSatisfying(Admission.Defer.class, d -> assertThat(d.reason()).isEqualTo(row.reason()));
  }

  /** The detail of a refusal is what the assignment records: the user reads it in its status. */
  @Test
  void aRefusalRecordsAMessageThatNamesBothEpochsOrTheProblem() {
    assertThat(Given.current().knowing(epoch(6)).decide())
        .isEqualTo(new Admission.Refuse(STALE_EPOCH, "stale epoch 5 < current epoch 6"));
    assertThat(Given.current().load(2, 2).decide()).isEqualTo(new Admission.Refuse(NODE_FULL, "node full"));
    assertThat(Given.current().assignment(assigned(5, List.of())).decide())
        .isEqualTo(new Admission.Refuse(EMPTY_COMMAND, "cannot start: empty command"));
  }

  // ---- exit codes -----------------------------------------------------------------------------------------------

  record Exit(String behaviour, int exitValue, int recorded) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Exit> exitCodes() {
    return Stream.of(
        new Exit("a clean exit is recorded as 0", 0, 0),
        new Exit("an error exit is recorded as it is", 3, 3),
        new Exit("a death by SIGKILL is recorded as -9", 137, -9),
        new Exit("a death by SIGTERM is recorded as -15", 143, -15),
        new Exit("128 itself is an exit value, not a signal", 128, 128),
        new Exit("a death by signal 1 is recorded as -1", 129, -1),
        new Exit("a death by the highest signal, 64, is recorded as -64", 192, -64),
        new Exit("an exit value above the highest signal is recorded as it is", 193, 193),
        new Exit("255 is recorded as it is", 255, 255));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void exitCodes(Exit row) {
    assertThat(ExitCodes.fromExitValue(row.exitValue())).isEqualTo(row.recorded());
  }

  @Test
  void theExitValueOfASignalIsRecordedAsThatSignalNegated() {
    assertThat(ExitCodes.exitValueOfSignal(ExitCodes.SIGTERM)).isEqualTo(143);
    assertThat(ExitCodes.fromExitValue(ExitCodes.exitValueOfSignal(ExitCodes.SIGKILL))).isEqualTo(-9);
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  private static AssignmentRecord assigned(long epoch, List<String> command) {
    return AssignmentRecord.assigned("i1", "web", "n1", command, Map.of(), Optional.empty(), 1000,
        OnPartition.KEEP_RUNNING, 1, epoch, Instant.EPOCH);
  }

  private static Optional<Epoch> epoch(long value) {
    return Optional.of(new Epoch(value, EPOCH_SET_AT));
  }
}
