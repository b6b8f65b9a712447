package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.metrics.Exposition;
import io.shepherd.worker.metrics.LabelAllowlist;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An agent's whole scrape, with copies, restarts and probes of every kind behind it and the JVM's metrics included,
 * carries no label outside {@link LabelAllowlist}: the ids of the copies it runs never become labels.
 */
class AgentLabelsTest {
  @Test
  void anAgentsWholeScrapeCarriesOnlyAllowedLabels() throws Exception {
    List<String> running = List.of("web", "web", "db");
    AgentMetrics metrics = new AgentMetrics(() -> running, () -> true);
    metrics.includeJvm();
    metrics.restartedInPlace("web", Duration.ofMillis(30));
    for (ProbeTracker.Kind kind : ProbeTracker.Kind.values()) {
      metrics.probed(kind, true, Duration.ofMillis(2));
      metrics.probed(kind, false, Duration.ofMillis(1_000));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Exposition.write(out, metrics.scrape());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).as("the state is in the scrape").contains("replicaset=\"db\"").contains("kind=\"startup\"")
        .contains("jvm_memory_used_bytes").contains("le=\"");

    assertThat(LabelAllowlist.violations(text)).isEmpty();
  }
}
