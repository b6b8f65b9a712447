package io.shepherd.worker.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Prometheus' text exposition format (version 0.0.4) of a registry, written by Prometheus' own Java client: what
 * {@code GET /metrics} answers on a server and on an agent's HTTP port.
 */
public final class Exposition {
  /** The text format's content type, as Prometheus' writer gives it (a constant, for annotations). */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final PrometheusTextFormatWriter WRITER =
      PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build();

  private Exposition() {}

  /** Scrapes {@code registry} now (its gauges are computed at this moment) and writes it to {@code out}. */
  public static void write(PrometheusRegistry registry, OutputStream out) throws IOException {
    WRITER.write(out, registry.scrape());
  }

  /** Adds the JVM's and the process's metrics (memory, GC, threads, classes, CPU, file descriptors). */
  public static void registerJvm(PrometheusRegistry registry) {
    JvmMetrics.builder().register(registry);
  }
}
