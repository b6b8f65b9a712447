package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.api.fake.FakeAgentLogs;
import io.shepherd.server.api.fake.InMemoryCluster;
import io.shepherd.server.api.fake.InMemoryReplicaSets;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /replicasets/{name}/instances/{id}/logs}: which node's agent is asked for what, and every refusal, with
 * a fake agent whose logs are already finished. Following a log as it grows, and the real agent's answers, are
 * left to LogsIT.
 */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class LogsResourceTest {
  private static final InMemoryReplicaSets SETS = new InMemoryReplicaSets();
  private static final InMemoryCluster CLUSTER = new InMemoryCluster(SETS, "server-a");
  private static final FakeAgentLogs AGENT = new FakeAgentLogs();
  static final ResourceExtension API = ResourceTesting.resources(new LogsResource(CLUSTER, AGENT));

  @BeforeEach
  void webRunsOneCopyOnN1() throws Exception {
    SETS.clear();
    SETS.apply("web", ReplicaSetSpec.of(1, List.of("sleep", "60")), OptionalInt.empty(), "setup");
    SETS.addCopy("web", "web-1", "n1");
    CLUSTER.addNode("n1", 4, Map.of(), Optional.of("http://n1.example:9000/logs"));
    AGENT.answer("line 1\nline 2\n");
  }

  private static WebTarget logs(String name, String id) {
    return API.target("/api/v1/replicasets/" + name + "/instances/" + id + "/logs");
  }

  private static URI lastAsked() {
    List<URI> asked = AGENT.asked();
    return asked.get(asked.size() - 1);
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void aCopysLogIsTheAnswerOfItsNodesLogServerAsPlainText() {
    Response r = logs("web", "web-1").request().get();
    assertThat(r.readEntity(String.class)).isEqualTo("line 1\nline 2\n");
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getHeaderString("Content-Type")).isEqualTo("text/plain;charset=utf-8");
    assertThat(r.getHeaderString("Cache-Control")).isEqualTo("no-store");
    assertThat(r.getHeaderString("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(lastAsked()).isEqualTo(URI.create("http://n1.example:9000/logs/web-1"));
  }

  @ParameterizedTest(name = "?{0} asks the agent for ?{1}")
  @CsvSource(delimiter = '|', value = {
      "tail=10&follow=true | tail=10&follow=true",
      "follow=true         | follow=true",
      "tail=0              | tail=0",
      "tail=%201000000%20  | tail=1000000",
      "follow=false        | ''",
  })
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void tailAndFollowAreForwardedToTheAgent(String query, String forwarded) {
    URI uri = URI.create(API.target("/").getUri() + "api/v1/replicasets/web/instances/web-1/logs?" + query);
    Response r = API.client().target(uri).request().get();
    assertThat(r.getStatus()).as(r.readEntity(String.class)).isEqualTo(200);
    assertThat(lastAsked().getRawQuery()).isEqualTo(forwarded.isEmpty() ? null : forwarded);
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void theLogOfACopyThatExitedIsStillAskedOfTheNodeThatRanIt() {
    SETS.addCopy("web", "web-2", "n1");
    SETS.exit("web", "web-2");
    assertThat(logs("web", "web-2").request().get().getStatus()).isEqualTo(200);
    assertThat(lastAsked().getPath()).isEqualTo("/logs/web-2");
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void anInstanceIdIsEncodedForTheAgentsUrl() {
    SETS.addCopy("web", "web 2+x", "n1");
    assertThat(logs("web", "web%202+x").request().get().getStatus()).isEqualTo(200);
    assertThat(lastAsked().getRawPath()).isEqualTo("/logs/web%202%2Bx");
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void anUnknownReplicaSetOrCopyIs404AndNoAgentIsAsked() {
    int before = AGENT.asked().size();
    assertThat(assertError(logs("nothing", "web-1").request().get(), 404)).isEqualTo("replica set nothing not found");
    assertThat(assertError(logs("web", "web-9").request().get(), 404)).contains("instance web-9");
    assertError(logs("web", "web-1;x=1").request().get(), 404);
    assertThat(AGENT.asked()).hasSize(before);
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void aCopyOfADeletedReplicaSetWhoseAssignmentRemainsStillHasItsLog() {
    SETS.finishDeleting("web");
    SETS.addCopy("web", "web-1", "n1");
    SETS.exit("web", "web-1");
    assertThat(logs("web", "web-1").request().get().getStatus()).isEqualTo(200);
  }

  @ParameterizedTest(name = "?{0}={1} is refused with 400 naming {0}")
  @CsvSource({"tail, -1", "tail, abc", "tail, 1000001", "tail, 1.5", "follow, yes", "follow, TRUE", "follow, ''"})
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void badTailOrFollowIsRefusedNamingIt(String field, String value) {
    int before = AGENT.asked().size();
    assertError(logs("web", "web-1").queryParam(field, value).request().get(), 400, field);
    assertThat(AGENT.asked()).hasSize(before);
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void aBadReplicaSetNameIs422NamingName() {
    assertError(logs("Web", "web-1").request().get(), 422, "name");
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void aCopyOnANodeThatIsNotRegisteredIs503() {
    CLUSTER.removeNode("n1");
    assertThat(assertError(logs("web", "web-1").request().get(), 503)).contains("node n1").contains("not registered");
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void aCopyOnANodeWithoutALogServerIs503() {
    CLUSTER.addNode("n1", 4, Map.of(), Optional.empty());
    assertThat(assertError(logs("web", "web-1").request().get(), 503)).contains("runs no log server");
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void aNodeAdvertisingAnUnusableAddressIs503() {
    CLUSTER.addNode("n1", 4, Map.of(), Optional.of("http://bad host:9000/logs"));
    assertThat(assertError(logs("web", "web-1").request().get(), 503)).contains("unusable log server address");
  }

  @ParameterizedTest(name = "an agent answering {0} is a {0}")
  @CsvSource({"404", "400", "503"})
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void theAgentsRefusalsArePassedOn(int status) {
    AGENT.refuse(new ApiException(status, "from the agent", Optional.empty()));
    assertThat(assertError(logs("web", "web-1").request().get(), status)).isEqualTo("from the agent");
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances/{id}/logs")
  void postingToALogIs405() {
    assertThat(logs("web", "web-1").request().get().getStatus()).isEqualTo(200);
    assertError(logs("web", "web-1").request().post(Entity.text("x")), 405);
  }
}
