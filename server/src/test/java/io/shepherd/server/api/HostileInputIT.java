package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input over REST gets a 4xx naming the field, never a 500, and nothing is written. */
class HostileInputIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension APP = new ServerExtension(ZK::connectString);

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private CuratorFramework zk;

  @BeforeEach
  void connect() throws Exception {
    zk = TestZkAuth.serverClient(ZK.connectString(), new RetryOneTime(100));
    zk.start();
    zk.blockUntilConnected();
  }

  @AfterEach
  void close() {
    zk.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(APP.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").header("Authorization", TestTokens.bearer());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<String> storedReplicaSets() throws Exception {
    return zk.checkExists().forPath("/shepherd/replicasets") == null
        ? List.of() : zk.getChildren().forPath("/shepherd/replicasets");
  }

  @ParameterizedTest(name = "{0} is refused with {2} naming {3}")
  @CsvSource(delimiter = '|', value = {
      "a name with shell metacharacters | /api/v1/replicasets/a;rm%20-rf | 422 | name",
      "an upper-case name                | /api/v1/replicasets/Web         | 422 | name",
      "a name with a dot                 | /api/v1/replicasets/a.b         | 422 | name",
      "a name too long for a DNS label   | /api/v1/replicasets/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | 422 | name",
  })
  void badNamesAreRefusedAndNothingIsWritten(String what, String path, int status, String field) throws Exception {
    HttpResponse<String> r = send("PUT", path, "{\"replicas\":1,\"command\":[\"sleep\",\"60\"]}");
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(json.readTree(r.body()).path("field").asText()).isEqualTo(field);
    assertThat(storedReplicaSets()).isEmpty();
  }

  @Test
  void aPathTraversalNameNeverReachesZooKeeper() throws Exception {
    for (String path : List.of("/api/v1/replicasets/..%2F..%2Fnodes", "/api/v1/replicasets/%2E%2E",
        "/api/v1/replicasets/a%00b")) {
      HttpResponse<String> r = send("PUT", path, "{\"replicas\":1,\"command\":[\"sleep\",\"60\"]}");
      assertThat(r.statusCode()).as(path).isBetween(400, 499);
    }
    assertThat(storedReplicaSets()).isEmpty();
    assertThat(zk.getChildren().forPath("/shepherd")).doesNotContain("etc");
  }

  // Every refusal of a bad spec, field by field, is in ReplicaSetInputResourceTest; here one of each kind (a value
  // out of bounds, a nested field, a wrong type, an unknown field) shows that nothing reaches ZooKeeper.
  @ParameterizedTest(name = "{0} is refused with {2} naming {3}")
  @CsvSource(delimiter = '|', value = {
      "negative replicas            | {\"replicas\":-1,\"command\":[\"sleep\"]}            | 422 | replicas",
      "a null argument              | {\"replicas\":1,\"command\":[\"sleep\",null]}        | 422 | command[1]",
      "a port named twice           | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"},{\"name\":\"http\"}]} | 422 | ports[1].name",
      "an argv that is a string     | {\"replicas\":1,\"command\":\"sleep 60; rm -rf /\"}  | 400 | command",
      "an unknown field             | {\"replicas\":1,\"command\":[\"sleep\"],\"shell\":true} | 400 | shell",
  })
  void badSpecsAreRefusedNamingTheFieldAndNothingIsWritten(String what, String body, int status, String field)
      throws Exception {
    HttpResponse<String> r = send("PUT", "/api/v1/replicasets/web", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode error = json.readTree(r.body());
    assertThat(error.path("code").asInt()).isEqualTo(status);
    assertThat(error.path("field").asText()).isEqualTo(field);
    assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception");
    assertThat(storedReplicaSets()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"GET,/api/v1/replicasets/web%00x", "DELETE,/api/v1/replicasets/%0A", "PUT,/api/v1/config/a%0Ab/k",
      "GET,/api/v1/replicasets/web/instances/%2e%2e/logs"})
  void aPathTheHttpServerRefusesItselfIsStillAJsonErrorAndWritesNothing(String method, String path)
      throws Exception {
    HttpResponse<String> r = send(method, path, method.equals("PUT") ? "{\"value\":\"v\"}" : null);
    assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode body = json.readTree(r.body());
    assertThat(body.path("code").asInt()).isEqualTo(r.statusCode());
    assertThat(body.path("message").asText()).isNotBlank().doesNotContain("<html").doesNotContain("\tat ");
    assertThat(storedReplicaSets()).isEmpty();
  }

  @Test
  void malformedJsonIsA400WithoutAStackTrace() throws Exception {
    HttpResponse<String> r = send("PUT", "/api/v1/replicasets/web", "{\"replicas\": 1, \"command\": [");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("malformed JSON").doesNotContain("at com.").doesNotContain("at io.");
    assertThat(storedReplicaSets()).isEmpty();
  }

  @Test
  void anEmptyBodyIsA400() throws Exception {
    HttpResponse<String> r = send("PUT", "/api/v1/replicasets/web", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(storedReplicaSets()).isEmpty();
  }

  /** Repeated: a server that answers before reading the whole body must not reset the connection under the 413. */
  @Test
  void anOversizedBodyIsA413() throws Exception {
    String huge = "{\"replicas\":1,\"command\":[\"sleep\",\"" + "x".repeat(400_000) + "\"]}";
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = send("PUT", "/api/v1/replicasets/web", huge);
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(json.readTree(r.body()).path("message").asText()).contains("larger than");
    }
    assertThat(storedReplicaSets()).isEmpty();
  }

  @Test
  void anOversizedBodyOfUndeclaredLengthIsA413() throws Exception {
    byte[] huge = ("{\"replicas\":1,\"command\":[\"sleep\",\"" + "x".repeat(400_000) + "\"]}").getBytes();
    for (int i = 0; i < 10; i++) {
      HttpRequest chunked = HttpRequest.newBuilder(URI.create(APP.baseUrl() + "/api/v1/replicasets/web"))
          .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
          .header("Content-Type", "application/json").header("Authorization", TestTokens.bearer())
          .build();
      HttpResponse<String> r = http.send(chunked, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(413);
    }
    assertThat(storedReplicaSets()).isEmpty();
  }

  @Test
  void aStaleIfMatchIsA412AndTheSpecIsUnchanged() throws Exception {
    HttpResponse<String> created = send("PUT", "/api/v1/replicasets/guarded", "{\"replicas\":0,\"command\":[\"sleep\",\"1\"]}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("ETag")).contains("\"0\"");

    HttpResponse<String> updated = send("PUT", "/api/v1/replicasets/guarded",
        "{\"replicas\":0,\"command\":[\"sleep\",\"2\"]}", "If-Match", "\"0\"");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.headers().firstValue("ETag")).contains("\"1\"");

    HttpResponse<String> stale = send("PUT", "/api/v1/replicasets/guarded",
        "{\"replicas\":0,\"command\":[\"sleep\",\"3\"]}", "If-Match", "\"0\"");
    assertThat(stale.statusCode()).isEqualTo(412);
    HttpResponse<String> now = send("GET", "/api/v1/replicasets/guarded", null);
    assertThat(json.readTree(now.body()).path("spec").path("command").get(1).asText()).isEqualTo("2");

    assertThat(send("DELETE", "/api/v1/replicasets/guarded", null).statusCode()).isEqualTo(202);
  }

  @Test
  void unknownReplicaSetsAndInstancesAre404s() throws Exception {
    assertThat(send("GET", "/api/v1/replicasets/nothing", null).statusCode()).isEqualTo(404);
    assertThat(send("PUT", "/api/v1/replicasets/nothing/replicas", "{\"replicas\":2}").statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/api/v1/replicasets/nothing", null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/api/v1/replicasets/nothing/instances/x", null).statusCode()).isEqualTo(404);
    HttpResponse<String> r = send("GET", "/api/v1/no/such/thing", null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json.readTree(r.body()).path("code").asInt()).isEqualTo(404);
  }

  @Test
  void aBadScaleIsRefusedNamingReplicas() throws Exception {
    send("PUT", "/api/v1/replicasets/scaled", "{\"replicas\":0,\"command\":[\"sleep\",\"1\"]}");
    HttpResponse<String> r = send("PUT", "/api/v1/replicasets/scaled/replicas", "{\"replicas\":-3}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(json.readTree(r.body()).path("field").asText()).isEqualTo("replicas");
    HttpResponse<String> t = send("PUT", "/api/v1/replicasets/scaled/replicas", "{\"replicas\":\"x\"}");
    assertThat(t.statusCode()).isEqualTo(400);
    assertThat(send("DELETE", "/api/v1/replicasets/scaled", null).statusCode()).isEqualTo(202);
  }
}
