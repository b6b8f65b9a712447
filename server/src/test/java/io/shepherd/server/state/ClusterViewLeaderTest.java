package io.shepherd.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterViewLeaderTest {
  @Test
  void theLowestLatchSequenceLeadsWhateverTheNamePrefix() {
    assertThat(ClusterView.leaderOf(Map.of("_c_ffff-latch-0000000012", "s2", "_c_0000-latch-0000000003", "s1")))
        .hasValue("s1");
    assertThat(ClusterView.leaderOf(Map.of("_c_ffff-latch-0000000012", "s2"))).hasValue("s2");
    assertThat(ClusterView.leaderOf(Map.of())).isEmpty();
  }

  @Test
  void aNameWithoutASequenceNeverLeadsAnother() {
    assertThat(ClusterView.leaderOf(Map.of("odd", "x", "_c_a-latch-0000000009", "s9"))).hasValue("s9");
  }
}
