package io.shepherd.worker.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus' text exposition format (version 0.0.4), written by Prometheus' own Java client: what
 * {@code GET /metrics} answers on a server and on an agent's HTTP port.
 */
public final class Exposition {
  /** The text format's content type, as Prometheus' writer gives it (a constant, for annotations). */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final PrometheusTextFormatWriter WRITER =
      PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build();

  private Exposition() {}

  /**
   * The JVM's and the process's metrics (memory, GC, threads, classes, CPU, file descriptors), in one registry per
   * process: the client keeps every registry it instruments for good, so each server or agent of a test JVM must not
   * get one of its own.
   */
  private static final class Jvm {
    static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

    static {
      JvmMetrics.builder().register(REGISTRY);
    }
  }

  /** Scrapes {@code registry} now (its gauges are computed at this moment), and the JVM's metrics with it if asked. */
  public static MetricSnapshots scrape(PrometheusRegistry registry, boolean withJvm) {
    if (!withJvm) {
      return registry.scrape();
    }
    List<MetricSnapshot> all = new ArrayList<>();
    registry.scrape().forEach(all::add);
    Jvm.REGISTRY.scrape().forEach(all::add);
    return new MetricSnapshots(all);
  }

  /** Writes {@code snapshots} to {@code out}. */
  public static void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
    WRITER.write(out, snapshots);
  }
}
