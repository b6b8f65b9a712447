package io.shepherd.worker.agent;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.shepherd.worker.metrics.Exposition;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One agent's Prometheus metrics, in a registry of its own (an agent embedded in a server does not mix its metrics
 * with the server's). Counted by the agent for what the agent does: restarts in place, probes. The gauges are
 * computed when scraped, from the copy table and the connection. Thread-safe.
 */
final class AgentMetrics {
  /** Buckets of {@code shepherd_replacement_seconds}: from a restart at once to one after a long backoff. */
  static final double[] REPLACEMENT_BUCKETS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
  /** Buckets of {@code shepherd_probe_duration_seconds}: probe timeouts default to 1 s. */
  static final double[] PROBE_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private volatile boolean withJvm;
  private final Counter restarts = Counter.builder()
      .name("shepherd_copy_restarts")
      .help("Copies restarted; scope=local: in place by this agent (same instance id and ports)")
      .labelNames("replicaset", "scope")
      .register(registry);
  private final Histogram replacement = Histogram.builder()
      .name("shepherd_replacement_seconds")
      .unit(Unit.SECONDS)
      .help("From a copy's exit noticed by its agent to its restarted process registered in ZooKeeper (running "
          + "again), backoff included; scope=local: restarts in place")
      .labelNames("scope")
      .classicOnly()
      .classicUpperBounds(REPLACEMENT_BUCKETS)
      .withoutExemplars()
      .register(registry);
  private final Counter probeFailures = Counter.builder()
      .name("shepherd_probe_failures")
      .help("Probe runs that failed, by kind (startup, liveness, readiness)")
      .labelNames("kind")
      .register(registry);
  private final Histogram probeDuration = Histogram.builder()
      .name("shepherd_probe_duration_seconds")
      .unit(Unit.SECONDS)
      .help("How long one probe run took, by kind (startup, liveness, readiness), failures included")
      .labelNames("kind")
      .classicOnly()
      .classicUpperBounds(PROBE_BUCKETS)
      .withoutExemplars()
      .register(registry);

  /**
   * @param replicaSets the replica set of every copy this agent runs now, one entry per copy
   * @param connected   whether the agent is connected to ZooKeeper now
   */
  AgentMetrics(Supplier<Collection<String>> replicaSets, BooleanSupplier connected) {
    registry.register((MultiCollector) () -> MetricSnapshots.of(
        copiesGauge(replicaSets.get()),
        GaugeSnapshot.builder()
            .name("shepherd_zookeeper_connected")
            .help("1 while this agent is connected to ZooKeeper, else 0")
            .dataPoint(GaugeDataPointSnapshot.builder().value(connected.getAsBoolean() ? 1 : 0).build())
            .build()));
    // Present from the start at 0, so that rate() sees the first failure and the first restart.
    for (ProbeTracker.Kind kind : ProbeTracker.Kind.values()) {
      probeFailures.labelValues(kind.label());
    }
    replacement.labelValues("local");
  }

  PrometheusRegistry registry() {
    return registry;
  }

  /** Adds the JVM's metrics to every scrape from now on (a standalone agent; a server exports its own). */
  void includeJvm() {
    withJvm = true;
  }

  /** What {@code GET /metrics} answers: the agent's metrics now, and the JVM's if included. */
  MetricSnapshots scrape() {
    return Exposition.scrape(registry, withJvm);
  }

  /** A copy of {@code replicaSet} runs again in place, {@code sinceExit} after its exit was noticed. */
  void restartedInPlace(String replicaSet, Duration sinceExit) {
    restarts.labelValues(replicaSet, "local").inc();
    replacement.labelValues("local").observe(seconds(sinceExit));
  }

  /** A probe of {@code kind} ran for {@code took} and passed or failed. */
  void probed(ProbeTracker.Kind kind, boolean passed, Duration took) {
    probeDuration.labelValues(kind.label()).observe(seconds(took));
    if (!passed) {
      probeFailures.labelValues(kind.label()).inc();
    }
  }

  /** {@code shepherd_agent_copies{replicaset}}: how many copies of each replica set run here now. */
  static GaugeSnapshot copiesGauge(Collection<String> replicaSets) {
    Map<String, Integer> counts = new TreeMap<>();
    replicaSets.forEach(name -> counts.merge(name, 1, Integer::sum));
    GaugeSnapshot.Builder gauge = GaugeSnapshot.builder()
        .name("shepherd_agent_copies")
        .help("Copies this agent runs now, by replica set (those being stopped included)");
    counts.forEach((name, n) -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
        .labels(Labels.of("replicaset", name)).value(n).build()));
    return gauge.build();
  }

  private static double seconds(Duration d) {
    return Math.max(0, d.toNanos()) / 1e9;
  }
}
