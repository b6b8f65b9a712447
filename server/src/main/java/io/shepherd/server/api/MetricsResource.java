package io.shepherd.server.api;

import io.shepherd.server.auth.Roles;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.shepherd.worker.metrics.Exposition;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (beside {@code /api/v1}, where Prometheus looks by default): this server's metrics in
 * Prometheus' text format, version 0.0.4. Gauges are computed at the request from the view. For the {@code viewer}
 * role, where roles are enforced.
 */
@Path("/metrics")
public final class MetricsResource {
  private final Supplier<MetricSnapshots> metrics;

  /** @param metrics the server's metrics, scraped at each request */
  public MetricsResource(Supplier<MetricSnapshots> metrics) {
    this.metrics = metrics;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  @Produces(Exposition.CONTENT_TYPE)
  public Response metrics() {
    // Written whole before the response starts: a failing collector is an error, never half a scrape.
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      Exposition.write(body, metrics.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The header as Prometheus' writer spells it (a media type would be written back with its parameters reordered).
    return Response.ok(body.toByteArray())
        .header(HttpHeaders.CONTENT_TYPE, Exposition.CONTENT_TYPE)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .build();
  }
}
