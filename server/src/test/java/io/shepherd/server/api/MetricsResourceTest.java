package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.server.metrics.ClusterGauges;
import io.shepherd.server.metrics.ServerMetrics;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics}: Prometheus' text format of what the server's view holds at the request. Who may scrape (a
 * viewer token or higher) is {@link ApiAccessTest}'s table.
 */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class MetricsResourceTest {
  private static final AtomicReference<List<ReplicaSetSummary>> SETS = new AtomicReference<>(List.of());
  private static final ServerMetrics METRICS =
      new ServerMetrics(() -> new ClusterGauges.Reading(SETS.get(), true, 4, 2, false, true));
  static final ResourceExtension API = ResourceTesting.resources(new MetricsResource(METRICS::scrape));

  private Response scrape(String accept) {
    return API.target("/metrics").request().header("Accept", accept).get();
  }

  @Test
  @Endpoint("GET /metrics")
  void answersPrometheusTextVersion004ToWhatPrometheusAccepts() {
    Response response = scrape("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
        + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeaderString("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.readEntity(String.class))
        .contains("# TYPE shepherd_controller_leader gauge")
        .contains("shepherd_controller_leader 1")
        .contains("shepherd_controller_epoch 4")
        .contains("shepherd_nodes 2");
  }

  @Test
  @Endpoint("GET /metrics")
  void eachScrapeReadsTheReplicaSetsAnew() {
    SETS.set(List.of(new ReplicaSetSummary("web", 1, 3, 3, 0, 2, false, 0)));
    assertThat(scrape("*/*").readEntity(String.class))
        .contains("shepherd_replicaset_desired{replicaset=\"web\"} 3")
        .contains("shepherd_replicaset_ready{replicaset=\"web\"} 2");

    SETS.set(List.of());
    assertThat(scrape("*/*").readEntity(String.class)).doesNotContain("replicaset=\"web\"");
  }
}
