package io.shepherd.worker.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who asked for a copy's restart or stop, in its assignment: absent in records written before it (read as nobody),
 * written only when someone asked, and kept through every change its agent records.
 */
class RequestedByRecordsTest {
  private static final AssignmentRecord WEB = AssignmentRecord.assigned("web-1", "web", "n1", List.of("app"),
      Map.of(), Optional.empty(), 10, OnPartition.KEEP_RUNNING, 1, 2, Instant.EPOCH);

  @Test
  void anAssignmentWrittenBeforeRequestsNamedAnyoneReadsAsAskedByNobody() {
    AssignmentRecord a = RecordCodec.read("""
        {"instanceId":"web-1","replicaSet":"web","nodeId":"n1","command":["sleep","1"],"stopGraceMs":10,
         "specVersion":1,"epoch":2,"createdAt":"2030-01-01T00:00:00Z","state":"RUNNING","pid":7,
         "endedByAgent":false,"restartRequested":3,"restartServed":2}
        """.getBytes(StandardCharsets.UTF_8), AssignmentRecord.class);

    assertThat(a.restartRequested()).isEqualTo(3);
    assertThat(a.restartRequestedBy()).isEmpty();
    assertThat(a.stopRequestedBy()).isEmpty();
  }

  @Test
  void anAssignmentNobodyAskedAnythingOfIsWrittenWithoutTheFields() {
    String json = new String(RecordCodec.write(WEB.running(7, Instant.EPOCH)), StandardCharsets.UTF_8);

    assertThat(json).doesNotContain("restartRequestedBy", "stopRequestedBy");
  }

  @Test
  void whoAskedSurvivesJsonAndTheChangesItsAgentRecords() {
    AssignmentRecord asked = WEB.running(7, Instant.EPOCH).withRestartRequested(1, Optional.of("frank"))
        .withStopRequested("erin");

    AssignmentRecord read = RecordCodec.read(RecordCodec.write(asked), AssignmentRecord.class);
    AssignmentRecord exited = read.exited(0, Instant.EPOCH.plusSeconds(5));
    AssignmentRecord restarted = read.restarting(new LastExit(-15, Instant.EPOCH.plusSeconds(5), 5_000),
        Optional.empty(), 1).running(8, Instant.EPOCH.plusSeconds(6));

    assertThat(read).isEqualTo(asked);
    for (AssignmentRecord a : List.of(read, exited, restarted)) {
      assertThat(a.restartRequestedBy()).as(a.state().toString()).contains("frank");
      assertThat(a.stopRequestedBy()).as(a.state().toString()).contains("erin");
    }
    assertThat(read.withRestartRequested(2).restartRequestedBy()).as("a generation raised alone keeps who asked")
        .contains("frank");
  }
}
