package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static io.shepherd.server.api.ResourceTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.server.api.fake.InMemoryCluster;
import io.shepherd.server.api.fake.InMemoryReplicaSets;
import io.shepherd.worker.record.RefusedPort;
import jakarta.ws.rs.client.Entity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /nodes} and {@code GET /leader}, against an in-memory cluster. */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class ClusterResourceTest {
  private static final InMemoryReplicaSets SETS = new InMemoryReplicaSets();
  private static final InMemoryCluster CLUSTER = new InMemoryCluster(SETS, "server-a");
  static final ResourceExtension API = ResourceTesting.resources(new ClusterResource(CLUSTER));

  @BeforeEach
  void emptyCluster() {
    CLUSTER.removeNode("n1");
    CLUSTER.removeNode("n2");
    SETS.finishDeleting("web");
  }

  @Test
  @Endpoint("GET /api/v1/nodes")
  void noNodesIsAnEmptyList() {
    assertThat(json(API.target("/api/v1/nodes").request().get(), 200).isArray()).isTrue();
    assertThat(json(API.target("/api/v1/nodes").request().get(), 200)).isEmpty();
  }

  @Test
  @Endpoint("GET /api/v1/nodes")
  void nodesAreListedByIdWithTheirCapacityUseLabelsAndLogServer() {
    CLUSTER.addNode("n2", 4, Map.of(), Optional.empty());
    CLUSTER.addNode("n1", 8, Map.of("zone", "a"), Optional.of("http://n1.example:9000/logs"));
    SETS.addCopy("web", "web-1", "n1");
    SETS.addCopy("web", "web-2", "n1");

    JsonNode nodes = json(API.target("/api/v1/nodes").request().get(), 200);

    assertThat(nodes).hasSize(2);
    JsonNode n1 = nodes.get(0);
    assertThat(n1.path("id").asText()).isEqualTo("n1");
    assertThat(n1.path("host").asText()).isEqualTo("n1.example");
    assertThat(n1.path("capacity").asInt()).isEqualTo(8);
    assertThat(n1.path("used").asInt()).isEqualTo(2);
    assertThat(n1.path("labels").path("zone").asText()).isEqualTo("a");
    assertThat(n1.path("logsUrl").asText()).isEqualTo("http://n1.example:9000/logs");
    assertThat(n1.path("startedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    JsonNode n2 = nodes.get(1);
    assertThat(n2.path("id").asText()).isEqualTo("n2");
    assertThat(n2.path("used").asInt()).isZero();
    assertThat(n2.has("logsUrl")).as("a node without a log server has no logsUrl, not null").isFalse();
    assertThat(n2.path("refusedPorts").isArray()).isTrue();
    assertThat(n2.path("refusedPorts")).as("a node that serves every exposed port").isEmpty();
  }

  @Test
  @Endpoint("GET /api/v1/nodes")
  void aNodeSaysWhichExposedPortsItsGatewayDoesNotServeAndWhy() {
    CLUSTER.addNode("n1", 8, Map.of(), Optional.empty());
    CLUSTER.refuses("n1", List.of(
        new RefusedPort(80, "web", "port 80 is privileged (below 1024); set agent.gateway.allowPrivileged"),
        new RefusedPort(9000, "api", "cannot bind 127.0.0.1:9000: Address already in use")));

    JsonNode refused = json(API.target("/api/v1/nodes").request().get(), 200).get(0).path("refusedPorts");

    assertThat(refused).hasSize(2);
    assertThat(refused.get(0).path("port").asInt()).isEqualTo(80);
    assertThat(refused.get(0).path("replicaSet").asText()).isEqualTo("web");
    assertThat(refused.get(0).path("reason").asText()).contains("agent.gateway.allowPrivileged");
    assertThat(refused.get(1).path("port").asInt()).isEqualTo(9000);
    assertThat(refused.get(1).path("reason").asText()).contains("Address already in use");
  }

  @Test
  @Endpoint("GET /api/v1/leader")
  void theLeaderSaysWhichServerControlsAndWhetherItIsTheOneAnswering() {
    CLUSTER.elect("server-b", 7);
    JsonNode standby = json(API.target("/api/v1/leader").request().get(), 200);
    assertThat(standby.path("leader").asText()).isEqualTo("server-b");
    assertThat(standby.path("self").asText()).isEqualTo("server-a");
    assertThat(standby.path("isLeader").asBoolean()).isFalse();
    assertThat(standby.path("epoch").asLong()).isEqualTo(7);

    CLUSTER.elect("server-a", 8);
    JsonNode leader = json(API.target("/api/v1/leader").request().get(), 200);
    assertThat(leader.path("isLeader").asBoolean()).isTrue();
    assertThat(leader.path("epoch").asLong()).isEqualTo(8);
  }

  @Test
  @Endpoint("GET /api/v1/nodes")
  @Endpoint("GET /api/v1/leader")
  void writingToTheReadOnlyClusterEndpointsIsA405WithAnErrorBody() {
    assertError(API.target("/api/v1/nodes").request().post(Entity.json("{}")), 405);
    assertError(API.target("/api/v1/leader").request().delete(), 405);
  }

  @Test
  void anUnknownPathIsA404WithAnErrorBody() {
    assertThat(assertError(API.target("/api/v1/nodez").request().get(), 404)).isEqualTo("no such resource");
  }

  @Test
  @Endpoint("GET /api/v1/nodes")
  void askingForAnythingButJsonIsA406() {
    assertError(API.target("/api/v1/nodes").request("text/html").get(), 406);
  }
}
