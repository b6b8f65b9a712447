package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.OnPartition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent's decisions that need no ZooKeeper: admission and exit codes. */
class PureDecisionsTest {
  private static AssignmentRecord assigned(long epoch, List<String> command) {
    return AssignmentRecord.assigned("i1", "web", "n1", command, Map.of(), Optional.empty(), 1000,
        OnPartition.KEEP_RUNNING, 1, epoch, Instant.EPOCH);
  }

  private static Optional<Epoch> epoch(long value) {
    return Optional.of(new Epoch(value, 100));
  }

  static Stream<Arguments> admissions() {
    List<String> cmd = List.of("sleep", "1");
    AssignmentRecord e5 = assigned(5, cmd);
    long before = 50;
    long after = 150;
    return Stream.of(
        arguments("launches a current assignment with room", e5, after, epoch(5), 0, 1, true, "Launch"),
        arguments("launches an assignment newer than the epoch it knows", e5, after, epoch(4), 0, 1, true, "Launch"),
        arguments("refuses an older epoch's assignment created after the epoch moved on", e5, after, epoch(6), 0, 1,
            true, "Refuse:stale epoch 5 < current epoch 6"),
        arguments("launches an older epoch's pending assignment that the new leader inherited", e5, before, epoch(6),
            0, 1, true, "Launch"),
        arguments("refuses when full", e5, after, epoch(5), 2, 2, true, "Refuse:node full"),
        arguments("refuses on a node of capacity 0", e5, after, epoch(5), 0, 0, true, "Refuse:node full"),
        arguments("refuses an empty command", assigned(5, List.of()), after, epoch(5), 0, 1, true,
            "Refuse:cannot start: empty command"),
        arguments("waits while the epoch is unknown", e5, after, Optional.empty(), 0, 1, true, "Defer"),
        arguments("waits while disconnected", e5, after, epoch(5), 0, 1, false, "Defer"),
        arguments("waits on an assignment that is already running", e5.running(7, Instant.EPOCH), after,
            epoch(5), 0, 1, true, "Defer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("admissions")
  void admission(String name, AssignmentRecord a, long createdAtZxid, Optional<Epoch> epoch, int copies, int capacity,
      boolean connected, String expected) {
    Admission d = Admission.decide(a, createdAtZxid, epoch, copies, capacity, connected);

    String actual = d.getClass().getSimpleName()
        + (d instanceof Admission.Refuse r ? ":" + r.reason() : "");
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void signalDeathsAreRecordedAsNegativeSignalNumbers() {
    assertThat(ExitCodes.fromExitValue(137)).isEqualTo(-9);
    assertThat(ExitCodes.fromExitValue(143)).isEqualTo(-15);
    assertThat(ExitCodes.fromExitValue(0)).isZero();
    assertThat(ExitCodes.fromExitValue(3)).isEqualTo(3);
    assertThat(ExitCodes.fromExitValue(128)).isEqualTo(128);
    assertThat(ExitCodes.fromExitValue(255)).isEqualTo(255);
  }
}
