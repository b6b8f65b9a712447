package io.shepherd.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.metrics.LabelAllowlist.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allowlist's reading of the text format: every label of every sample, per metric prefix. */
class LabelAllowlistTest {
  @Test
  void anInstanceIdOnAShepherdMetricIsAViolation() {
    String text = """
        # HELP shepherd_agent_copies Copies
        # TYPE shepherd_agent_copies gauge
        shepherd_agent_copies{replicaset="web"} 2.0
        shepherd_agent_copies{instance_id="web-k3x9q2ab",replicaset="web"} 1.0
        """;

    assertThat(LabelAllowlist.violations(text))
        .containsExactly(new Violation("shepherd_agent_copies", "instance_id"));
  }

  @Test
  void theJvmClientsOwnLabelsAreAllowedOnItsMetricsOnly() {
    String text = """
        jvm_memory_pool_used_bytes{pool="G1 Eden Space"} 1.0
        jvm_gc_collection_seconds_count{gc="G1 Young Generation"} 3
        shepherd_copy_restarts_total{pool="x",replicaset="web",scope="local"} 1.0
        """;

    assertThat(LabelAllowlist.violations(text)).containsExactly(new Violation("shepherd_copy_restarts_total", "pool"));
  }

  @Test
  void aMetricOfNoKnownPrefixMayCarryNoLabel() {
    assertThat(LabelAllowlist.violations("other_total{replicaset=\"web\"} 1\nother_gauge 2\n"))
        .containsExactly(new Violation("other_total", "replicaset"));
  }

  @Test
  void labelValuesWithEscapedQuotesCommasAndBracesAreSkippedWhole() {
    String text = "shepherd_events_total{type=\"a\\\",pid=\\\"1}\",scope=\"x,y\",host=\"h\"} 1\n";

    assertThat(LabelAllowlist.violations(text)).containsExactly(new Violation("shepherd_events_total", "host"));
  }

  @Test
  void linesWithoutLabelsAndCommentsAreNotLookedAt() {
    assertThat(LabelAllowlist.violations("# HELP x{a=\"b\"} y\nshepherd_nodes 1\nprocess_open_fds 12\n\n"))
        .isEmpty();
    assertThat(LabelAllowlist.labelNames("m{a=\"1\",b=\"2\"} 3", 2)).isEqualTo(List.of("a", "b"));
  }
}
