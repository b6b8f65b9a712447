package io.shepherd.worker.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ports in the records: absent in records written before ports existed, kept in order through JSON. */
class PortRecordsTest {
  @Test
  void recordsWrittenBeforePortsReadWithoutPorts() {
    AssignmentRecord a = read("""
        {"instanceId":"web-1","replicaSet":"web","nodeId":"n1","command":["sleep","1"],"stopGraceMs":10,
         "specVersion":1,"epoch":2,"createdAt":"2030-01-01T00:00:00Z","state":"ASSIGNED","pid":0,"endedByAgent":false}
        """, AssignmentRecord.class);
    InstanceRecord i = read("""
        {"id":"web-1","replicaSet":"web","node":"n1","host":"h","pid":7,"startedAt":"2030-01-01T00:00:00Z",
         "specVersion":1}
        """, InstanceRecord.class);
    NodeRecord n = read("""
        {"id":"n1","host":"h","capacity":4,"labels":{},"startedAt":"2030-01-01T00:00:00Z"}
        """, NodeRecord.class);

    assertThat(a.ports()).isEmpty();
    assertThat(i.ports()).isEmpty();
    assertThat(n.ports()).isEmpty();
  }

  @Test
  void recordsWithoutPortsAreWrittenAsBefore() {
    AssignmentRecord a = AssignmentRecord.assigned("web-1", "web", "n1", List.of("app"), Map.of(), Optional.empty(),
        10, OnPartition.KEEP_RUNNING, 1, 2, Instant.EPOCH);
    InstanceRecord i = new InstanceRecord("web-1", "web", "n1", "h", 7, Instant.EPOCH, 1);

    assertThat(new String(RecordCodec.write(a), StandardCharsets.UTF_8)).doesNotContain("ports");
    assertThat(new String(RecordCodec.write(i), StandardCharsets.UTF_8)).doesNotContain("ports");
  }

  @Test
  void portsSurviveJsonInTheirOrder() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("http", 20_017);
    ports.put("admin", 20_003);
    AssignmentRecord a = AssignmentRecord.assigned("web-1", "web", "n1", List.of("app"), Map.of(), Optional.empty(),
        10, OnPartition.KEEP_RUNNING, 1, 2, Instant.EPOCH, ports);
    NodeRecord n = new NodeRecord("n1", "h", 4, Map.of(), Optional.empty(), Instant.EPOCH,
        Optional.of(new PortRange(20_000, 29_999)));

    AssignmentRecord back = RecordCodec.read(RecordCodec.write(a.running(7, Instant.EPOCH)), AssignmentRecord.class);

    assertThat(back.ports()).containsExactlyEntriesOf(ports);
    assertThat(back.failed("port taken", Instant.EPOCH).ports()).containsExactlyEntriesOf(ports);
    assertThat(RecordCodec.read(RecordCodec.write(n), NodeRecord.class).ports()).contains(new PortRange(20_000, 29_999));
  }

  @Test
  void aPortRangeIsFromNotAboveToWithinTheValidPorts() {
    assertThat(new PortRange(8000, 8000).size()).isOne();
    assertThatThrownBy(() -> new PortRange(2, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PortRange(0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PortRange(60_000, 70_000)).isInstanceOf(IllegalArgumentException.class);
  }

  private static <T> T read(String json, Class<T> type) {
    return RecordCodec.read(json.getBytes(StandardCharsets.UTF_8), type);
  }
}
