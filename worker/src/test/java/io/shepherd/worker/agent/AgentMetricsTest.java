package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.shepherd.worker.metrics.Exposition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
  private final List<String> running = new ArrayList<>();
  private final AtomicBoolean connected = new AtomicBoolean(true);
  private final AgentMetrics metrics = new AgentMetrics(() -> List.copyOf(running), connected::get);

  private MetricSnapshot snapshot(String name) {
    return metrics.registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
  }

  private static Map<String, Double> gaugeByReplicaSet(GaugeSnapshot gauge) {
    Map<String, Double> out = new TreeMap<>();
    gauge.getDataPoints().forEach(p -> out.put(p.getLabels().get("replicaset"), p.getValue()));
    return out;
  }

  @Test
  void copiesAreCountedPerReplicaSetWhenScrapedAndASetWithoutCopiesHasNoSeries() {
    running.addAll(List.of("web", "db", "web"));
    assertThat(gaugeByReplicaSet((GaugeSnapshot) snapshot("shepherd_agent_copies")))
        .isEqualTo(Map.of("db", 1.0, "web", 2.0));

    running.remove("db");
    assertThat(gaugeByReplicaSet((GaugeSnapshot) snapshot("shepherd_agent_copies")))
        .isEqualTo(Map.of("web", 2.0));
  }

  @Test
  void theConnectionIsOneWhileConnectedAndZeroOtherwise() {
    assertThat(((GaugeSnapshot) snapshot("shepherd_zookeeper_connected")).getDataPoints().get(0).getValue())
        .isEqualTo(1.0);
    connected.set(false);
    assertThat(((GaugeSnapshot) snapshot("shepherd_zookeeper_connected")).getDataPoints().get(0).getValue())
        .isEqualTo(0.0);
  }

  @Test
  void theRestartTimesStartAtZero() {
    HistogramSnapshot replacement = (HistogramSnapshot) snapshot("shepherd_replacement_seconds");
    assertThat(replacement.getDataPoints()).singleElement().satisfies(p -> assertThat(p.getCount()).isZero());
  }

  @Test
  void aRestartInPlaceCountsForItsReplicaSetAndIsTimedInSeconds() {
    metrics.restartedInPlace("web", Duration.ofMillis(1_500));
    metrics.restartedInPlace("web", Duration.ofMillis(20));

    CounterSnapshot restarts = (CounterSnapshot) snapshot("shepherd_copy_restarts");
    assertThat(restarts.getDataPoints()).singleElement().satisfies(p -> {
      assertThat((Object) p.getLabels()).isEqualTo(Labels.of("replicaset", "web", "scope", "local"));
      assertThat(p.getValue()).isEqualTo(2.0);
    });
    HistogramSnapshot replacement = (HistogramSnapshot) snapshot("shepherd_replacement_seconds");
    assertThat(replacement.getDataPoints()).singleElement().satisfies(p -> {
      assertThat(p.getCount()).isEqualTo(2);
      assertThat(p.getSum()).isEqualTo(1.52, offset(1e-9));
    });
  }

  @Test
  void everyProbeRunIsTimedAndOnlyFailedRunsCountAsFailures() {
    metrics.probed(ProbeTracker.Kind.LIVENESS, true, Duration.ofMillis(3));
    metrics.probed(ProbeTracker.Kind.LIVENESS, false, Duration.ofMillis(1_000));
    metrics.probed(ProbeTracker.Kind.READINESS, false, Duration.ofMillis(5));

    Map<String, Double> failures = new TreeMap<>();
    ((CounterSnapshot) snapshot("shepherd_probe_failures")).getDataPoints()
        .forEach(p -> failures.put(p.getLabels().get("kind"), p.getValue()));
    assertThat(failures).isEqualTo(Map.of("startup", 0.0, "liveness", 1.0, "readiness", 1.0));
    Map<String, Long> runs = new TreeMap<>();
    ((HistogramSnapshot) snapshot("shepherd_probe_duration_seconds")).getDataPoints()
        .forEach(p -> runs.put(p.getLabels().get("kind"), p.getCount()));
    assertThat(runs).isEqualTo(Map.of("liveness", 2L, "readiness", 1L));
  }

  @Test
  void theTextFormatFollowsPrometheusNaming() throws Exception {
    running.add("web");
    metrics.restartedInPlace("web", Duration.ofMillis(20));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Exposition.write(out, metrics.scrape());

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("# TYPE shepherd_copy_restarts_total counter")
        .contains("# TYPE shepherd_replacement_seconds histogram")
        .contains("shepherd_replacement_seconds_count{scope=\"local\"} 1")
        .doesNotContain("_created");
  }

  @Test
  void theJvmsMetricsComeOnlyWhenIncluded() throws Exception {
    assertThat(names()).contains("shepherd_agent_copies")
        .doesNotContain("jvm_memory_used_bytes", "process_cpu_seconds");

    metrics.includeJvm();

    assertThat(names()).contains("shepherd_agent_copies", "jvm_memory_used_bytes", "process_cpu_seconds");
  }

  private List<String> names() {
    return metrics.scrape().stream().map(s -> s.getMetadata().getPrometheusName()).toList();
  }
}
