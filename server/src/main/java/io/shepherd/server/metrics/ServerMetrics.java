package io.shepherd.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.server.controller.ControllerObserver;
import io.shepherd.worker.metrics.Exposition;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One server's Prometheus metrics, in a registry of its own: gauges read from the view when scraped
 * ({@link ClusterGauges}), what the leader does ({@link ControllerObserver}: reschedules, reconcile batches), the
 * events this server reports, and the JVM's own metrics. Thread-safe.
 */
public final class ServerMetrics implements ControllerObserver {
  /** Buckets of {@code shepherd_reconcile_seconds}: a batch of up to 64 replica sets, one fenced round trip. */
  static final double[] RECONCILE_BUCKETS =
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /**
   * Buckets of {@code shepherd_replacement_seconds{scope="reschedule"}}, the agents' buckets: from a replacement
   * placed at once to one after a long crash-loop backoff or a node's session timeout.
   */
  static final double[] REPLACEMENT_BUCKETS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter restarts = Counter.builder()
      .name("shepherd_copy_restarts")
      .help("Copies restarted; scope=reschedule: dead copies the leader deleted to replace them with new ones "
          + "(restarts in place are counted by the agents, scope=local)")
      .labelNames("replicaset", "scope")
      .register(registry);
  private final Histogram reconcile = Histogram.builder()
      .name("shepherd_reconcile_seconds")
      .unit(Unit.SECONDS)
      .help("How long the leader took to decide one batch of replica sets and commit its plans")
      .classicOnly()
      .classicUpperBounds(RECONCILE_BUCKETS)
      .withoutExemplars()
      .register(registry);
  private final Histogram replacement = Histogram.builder()
      .name("shepherd_replacement_seconds")
      .unit(Unit.SECONDS)
      .help("From the leader's view learning that a copy was dead (node lost, given back) to its view showing the "
          + "copy that replaces it registered (running); scope=reschedule, on the leader's clock")
      .labelNames("scope")
      .classicOnly()
      .classicUpperBounds(REPLACEMENT_BUCKETS)
      .withoutExemplars()
      .register(registry);
  private final Counter events = Counter.builder()
      .name("shepherd_events")
      .help("Events this server reported on its event stream, by type")
      .labelNames("type")
      .register(registry);

  /** @param reading what the gauges show, read at each scrape */
  public ServerMetrics(Supplier<ClusterGauges.Reading> reading) {
    registry.register((MultiCollector) () -> ClusterGauges.of(reading.get()));
    for (EventType type : EventType.values()) {
      events.labelValues(label(type)); // every type from 0, so that rate() sees the first one
    }
    replacement.labelValues("reschedule");
  }

  /** What {@code GET /metrics} answers: the server's metrics now, and the JVM's. */
  public MetricSnapshots scrape() {
    return Exposition.scrape(registry, true);
  }

  /** Counts each event, then hands it on to {@code next}. */
  public Consumer<Event> countingEvents(Consumer<Event> next) {
    return event -> {
      events.labelValues(label(event.type())).inc();
      next.accept(event);
    };
  }

  @Override
  public void reconciled(int replicaSets, Duration took) {
    reconcile.observe(Math.max(0, took.toNanos()) / 1e9);
  }

  @Override
  public void replacing(String replicaSet, int copies) {
    restarts.labelValues(replicaSet, "reschedule").inc(copies);
  }

  @Override
  public void replaced(String replicaSet, Duration took) {
    replacement.labelValues("reschedule").observe(Math.max(0, took.toNanos()) / 1e9);
  }

  /** {@code INSTANCE_UP} as {@code instance_up}: label values in Prometheus' lower snake case. */
  static String label(EventType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
