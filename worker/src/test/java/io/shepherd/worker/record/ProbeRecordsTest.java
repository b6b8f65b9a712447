package io.shepherd.worker.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Probes and readiness in the records: absent in records written before them, and then read as before. */
class ProbeRecordsTest {
  private static final AssignmentRecord WEB = AssignmentRecord.assigned("web-1", "web", "n1", List.of("app"),
      Map.of(), Optional.empty(), 10, OnPartition.KEEP_RUNNING, 1, 2, Instant.EPOCH, Map.of("http", 20_017));

  @Test
  void recordsWrittenBeforeProbesReadWithoutProbesAndReady() {
    AssignmentRecord a = RecordCodec.read("""
        {"instanceId":"web-1","replicaSet":"web","nodeId":"n1","command":["sleep","1"],"stopGraceMs":10,
         "specVersion":1,"epoch":2,"createdAt":"2030-01-01T00:00:00Z","state":"EXITED","pid":0,"endedByAgent":false}
        """.getBytes(StandardCharsets.UTF_8), AssignmentRecord.class);
    InstanceRecord i = RecordCodec.read("""
        {"id":"web-1","replicaSet":"web","node":"n1","host":"h","pid":7,"startedAt":"2030-01-01T00:00:00Z",
         "specVersion":1}
        """.getBytes(StandardCharsets.UTF_8), InstanceRecord.class);

    assertThat(a.probes()).isNull();
    assertThat(a.probesOrNone()).isEqualTo(Probes.NONE);
    assertThat(a.failedProbe()).isFalse();
    assertThat(i.ready()).as("an instance of an older agent is ready").isTrue();
  }

  @Test
  void anAssignmentWithoutProbesIsWrittenAsBefore() {
    String json = new String(RecordCodec.write(WEB.withProbes(Probes.NONE)), StandardCharsets.UTF_8);

    assertThat(json).doesNotContain("probes", "failedProbe");
  }

  @Test
  void probesAndAFailedProbeSurviveJson() {
    Probes probes = new Probes(
        new ProbeRecord(null, null, new ProbeRecord.Tcp("http"), 0, 100, 200, 30, 1),
        new ProbeRecord(null, new ProbeRecord.Http("http", "/healthz"), null, 5, 1_000, 500, 3, 1),
        new ProbeRecord(new ProbeRecord.Exec(List.of("test", "-f", "/tmp/ready")), null, null, 0, 10_000, 1_000, 3, 2));
    AssignmentRecord failed = WEB.withProbes(probes).running(7, Instant.EPOCH)
        .failedProbe(-9, Instant.EPOCH.plusSeconds(60), "liveness probe failed 3 times: timed out");

    AssignmentRecord read = RecordCodec.read(RecordCodec.write(failed), AssignmentRecord.class);

    assertThat(read).isEqualTo(failed);
    assertThat(read.failedProbe()).isTrue();
    assertThat(read.endedByAgent()).isFalse();
    assertThat(read.reason()).contains("liveness probe failed 3 times: timed out");
    assertThat(List.of(probes.startup().describe(), probes.liveness().describe(), probes.readiness().describe()))
        .containsExactly("tcp http", "http http:/healthz", "exec [test, -f, /tmp/ready]");
  }

  @Test
  void anInstanceCarriesItsReadiness() {
    InstanceRecord ready = new InstanceRecord("web-1", "web", "n1", "h", 7, Instant.EPOCH, 1, Map.of("http", 1));
    InstanceRecord unready = ready.withReady(false);

    assertThat(RecordCodec.read(RecordCodec.write(unready), InstanceRecord.class).ready()).isFalse();
    assertThat(RecordCodec.read(RecordCodec.write(ready), InstanceRecord.class).ready()).isTrue();
    assertThat(unready.withReady(true)).isEqualTo(ready);
  }
}
