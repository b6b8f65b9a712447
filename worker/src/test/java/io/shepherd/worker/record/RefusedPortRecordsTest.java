package io.shepherd.worker.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.zk.Znodes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A node record's refused ports: absent in older records (none), not written when none, kept through JSON. */
class RefusedPortRecordsTest {
  private static final NodeRecord NODE = new NodeRecord("n1", "h", 4, Map.of(), Optional.empty(), Instant.EPOCH,
      Optional.of(PortRange.DEFAULT));

  @Test
  void aRecordWrittenBeforeRefusedPortsReadsWithNone() {
    NodeRecord old = Znodes.NODE.decode("""
        {"id":"n1","host":"h","capacity":4,"labels":{},"startedAt":"2030-01-01T00:00:00Z"}
        """.getBytes(StandardCharsets.UTF_8));
    assertThat(old.refusedPorts()).isEmpty();
  }

  @Test
  void aNodeThatServesEveryPortIsWrittenAsBefore() {
    assertThat(new String(Znodes.NODE.encode(NODE), StandardCharsets.UTF_8)).doesNotContain("refusedPorts");
  }

  @Test
  void refusedPortsSurviveJsonInTheirOrder() {
    List<RefusedPort> refused = List.of(new RefusedPort(80, "web", "port 80 is privileged"),
        new RefusedPort(9000, "api", "cannot bind 127.0.0.1:9000: Address already in use"));
    NodeRecord back = Znodes.NODE.decode(Znodes.NODE.encode(NODE.withRefusedPorts(refused)));
    assertThat(back.refusedPorts()).isEqualTo(refused);
    assertThat(back.withRefusedPorts(List.of())).isEqualTo(NODE);
  }
}
