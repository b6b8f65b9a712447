package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.api.fake.InMemoryReplicaSets;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /replicasets}: bad input is a 4xx naming the field, never a 500, and writes nothing. */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class ReplicaSetInputResourceTest {
  private static final String SPEC = ReplicaSetResourceTest.SPEC;
  private static final InMemoryReplicaSets SETS = new InMemoryReplicaSets();
  static final ResourceExtension API = ResourceTesting.resources(new ReplicaSetResource(SETS, SETS));

  @BeforeEach
  void onlyWebExists() throws Exception {
    SETS.clear();
    SETS.apply("web", ReplicaSetSpec.of(2, List.of("sleep", "60")), OptionalInt.empty(), "setup");
    SETS.addCopy("web", "web-1", "n1");
  }

  private static void assertNothingWritten() {
    assertThat(SETS.summaries()).hasSize(1);
    assertThat(SETS.stored("web").orElseThrow().version()).isZero();
    assertThat(SETS.copy("web", "web-1")).isPresent();
  }

  @ParameterizedTest(name = "the name {0} is refused with 422 naming name on every endpoint")
  @ValueSource(strings = {"Web", "a.b", "-web", "web-", "a_b", "web;x=1", "..%2F..%2Fnodes", "a%00b", "%2E%2E",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  @Endpoint("PUT /api/v1/replicasets/{name}")
  @Endpoint("GET /api/v1/replicasets/{name}")
  @Endpoint("DELETE /api/v1/replicasets/{name}")
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  @Endpoint("GET /api/v1/replicasets/{name}/instances")
  @Endpoint("DELETE /api/v1/replicasets/{name}/instances/{id}")
  void badNamesAreRefusedNamingTheFieldOnEveryEndpoint(String name) {
    String base = "/api/v1/replicasets/" + name;
    assertError(API.target(base).request().put(Entity.json(SPEC)), 422, "name");
    assertError(API.target(base).request().get(), 422, "name");
    assertError(API.target(base).request().delete(), 422, "name");
    assertError(API.target(base + "/replicas").request().put(Entity.json("{\"replicas\":1}")), 422, "name");
    assertError(API.target(base + "/instances").request().get(), 422, "name");
    assertError(API.target(base + "/instances/web-1").request().delete(), 422, "name");
    assertNothingWritten();
  }

  @ParameterizedTest(name = "{0} is refused with {2} naming {3}")
  @CsvSource(delimiter = '|', value = {
      "negative replicas            | {\"replicas\":-1,\"command\":[\"sleep\"]}            | 422 | replicas",
      "too many replicas            | {\"replicas\":10001,\"command\":[\"sleep\"]}         | 422 | replicas",
      "missing replicas             | {\"command\":[\"sleep\"]}                            | 422 | replicas",
      "an empty argv                | {\"replicas\":1,\"command\":[]}                      | 422 | command",
      "a missing argv               | {\"replicas\":1}                                     | 422 | command",
      "a program that is an option  | {\"replicas\":1,\"command\":[\"-rf\",\"/\"]}         | 422 | command[0]",
      "a null argument              | {\"replicas\":1,\"command\":[\"sleep\",null]}        | 422 | command[1]",
      "a shell line as the program  | {\"replicas\":1,\"command\":[\"\"]}                  | 422 | command[0]",
      "a relative working dir       | {\"replicas\":1,\"command\":[\"sleep\"],\"workingDir\":\"tmp\"} | 422 | workingDir",
      "a bad env name               | {\"replicas\":1,\"command\":[\"sleep\"],\"env\":{\"A B\":\"x\"}} | 422 | env",
      "a negative grace             | {\"replicas\":1,\"command\":[\"sleep\"],\"stopGraceMs\":-5} | 422 | stopGraceMs",
      "negative local restarts      | {\"replicas\":1,\"command\":[\"sleep\"],\"restart\":{\"localAttempts\":-1}} | 422 | restart.localAttempts",
      "too many local restarts      | {\"replicas\":1,\"command\":[\"sleep\"],\"restart\":{\"localAttempts\":1001}} | 422 | restart.localAttempts",
      "an empty restart window      | {\"replicas\":1,\"command\":[\"sleep\"],\"restart\":{\"windowMs\":0}} | 422 | restart.windowMs",
      "an unknown restart field     | {\"replicas\":1,\"command\":[\"sleep\"],\"restart\":{\"always\":true}} | 400 | restart.always",
      "a bad port name              | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"},{\"name\":\"Admin_1\"}]} | 422 | ports[1].name",
      "a port name too long         | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"a-very-long-name1\"}]} | 422 | ports[0].name",
      "a port named twice           | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"},{\"name\":\"http\"}]} | 422 | ports[1].name",
      "a port without a name        | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{}]} | 422 | ports[0].name",
      "ports that are a list of numbers | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[8080]} | 400 | ports[0]",
      "a probe of no kind           | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"readiness\":{\"periodMs\":100}} | 422 | readiness",
      "a probe of two kinds         | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"liveness\":{\"tcp\":{\"port\":\"http\"},\"exec\":{\"command\":[\"true\"]}}} | 422 | liveness",
      "an http probe on an undeclared port | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"readiness\":{\"http\":{\"port\":\"admin\",\"path\":\"/\"}}} | 422 | readiness.http.port",
      "a tcp probe without a port   | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"startup\":{\"tcp\":{}}} | 422 | startup.tcp.port",
      "an http path without a slash | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"readiness\":{\"http\":{\"port\":\"http\",\"path\":\"health\"}}} | 422 | readiness.http.path",
      "an exec probe with an empty argv | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"readiness\":{\"exec\":{\"command\":[]}}} | 422 | readiness.exec.command",
      "a liveness success threshold of 2 | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"liveness\":{\"tcp\":{\"port\":\"http\"},\"successThreshold\":2}} | 422 | liveness.successThreshold",
      "a startup success threshold of 2 | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"startup\":{\"tcp\":{\"port\":\"http\"},\"successThreshold\":2}} | 422 | startup.successThreshold",
      "a readiness success threshold of 0 | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"readiness\":{\"tcp\":{\"port\":\"http\"},\"successThreshold\":0}} | 422 | readiness.successThreshold",
      "a probe period of 0          | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"readiness\":{\"tcp\":{\"port\":\"http\"},\"periodMs\":0}} | 422 | readiness.periodMs",
      "a probe timeout of 0         | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"liveness\":{\"tcp\":{\"port\":\"http\"},\"timeoutMs\":0}} | 422 | liveness.timeoutMs",
      "a negative initial delay     | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"liveness\":{\"tcp\":{\"port\":\"http\"},\"initialDelayMs\":-1}} | 422 | liveness.initialDelayMs",
      "a failure threshold of 0     | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"readiness\":{\"tcp\":{\"port\":\"http\"},\"failureThreshold\":0}} | 422 | readiness.failureThreshold",
      "an unknown probe kind        | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"readiness\":{\"grpc\":{\"port\":\"http\"}}} | 400 | readiness.grpc",
      "an exposed port of 0         | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"expose\":{\"port\":0,\"targetPort\":\"http\"}} | 422 | expose.port",
      "an exposed port above 65535  | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"expose\":{\"port\":70000,\"targetPort\":\"http\"}} | 422 | expose.port",
      "an exposed undeclared port   | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"expose\":{\"port\":9000,\"targetPort\":\"admin\"}} | 422 | expose.targetPort",
      "an exposed port as text      | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"expose\":{\"port\":\"web\",\"targetPort\":\"http\"}} | 400 | expose.port",
      "an unknown expose field      | {\"replicas\":1,\"command\":[\"sleep\"],\"ports\":[{\"name\":\"http\"}],\"expose\":{\"port\":9000,\"targetPort\":\"http\",\"host\":\"0.0.0.0\"}} | 400 | expose.host",
      "replicas of the wrong type   | {\"replicas\":\"three\",\"command\":[\"sleep\"]}     | 400 | replicas",
      "a fractional replica count   | {\"replicas\":1.5,\"command\":[\"sleep\"]}           | 400 | replicas",
      "an argv that is a string     | {\"replicas\":1,\"command\":\"sleep 60; rm -rf /\"}  | 400 | command",
      "env that is a list           | {\"replicas\":1,\"command\":[\"sleep\"],\"env\":[\"A=1\"]} | 400 | env",
      "an unknown field             | {\"replicas\":1,\"command\":[\"sleep\"],\"shell\":true} | 400 | shell",
      "an unknown partition policy  | {\"replicas\":1,\"command\":[\"sleep\"],\"partitionPolicy\":\"MAYBE\"} | 400 | partitionPolicy",
  })
  @Endpoint("PUT /api/v1/replicasets/{name}")
  void badSpecsAreRefusedNamingTheField(String what, String body, int status, String field) {
    assertError(API.target("/api/v1/replicasets/web").request().put(Entity.json(body)), status, field);
    assertError(API.target("/api/v1/replicasets/new").request().put(Entity.json(body)), status, field);
    assertNothingWritten();
  }

  @ParameterizedTest(name = "scaling with {0} is refused with {2} naming replicas")
  @CsvSource(delimiter = '|', value = {
      "a negative count       | {\"replicas\":-3}     | 422",
      "too many               | {\"replicas\":10001}  | 422",
      "no count               | {}                    | 422",
      "a count that is a word | {\"replicas\":\"x\"}  | 400",
      "a fractional count     | {\"replicas\":2.5}    | 400",
  })
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  void badScalesAreRefusedNamingReplicas(String what, String body, int status) {
    assertError(API.target("/api/v1/replicasets/web/replicas").request().put(Entity.json(body)), status, "replicas");
    assertNothingWritten();
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  void anUnknownFieldInAScaleIsRefusedNamingIt() {
    assertError(API.target("/api/v1/replicasets/web/replicas").request()
        .put(Entity.json("{\"replicas\":1,\"force\":true}")), 400, "force");
    assertNothingWritten();
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  void malformedJsonIs400WithoutAField() {
    String spec = assertError(API.target("/api/v1/replicasets/web").request()
        .put(Entity.json("{\"replicas\": 1, \"command\": [")), 400);
    assertThat(spec).startsWith("malformed JSON");
    assertError(API.target("/api/v1/replicasets/web/replicas").request().put(Entity.json("{replicas: 1}")), 400);
    assertNothingWritten();
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  void anEmptyBodyIs400SayingABodyIsRequired() {
    assertThat(assertError(API.target("/api/v1/replicasets/new").request().put(Entity.json("")), 400))
        .contains("body is required");
    assertThat(assertError(API.target("/api/v1/replicasets/web/replicas").request().put(Entity.json("")), 400))
        .contains("body is required");
    assertThat(assertError(API.target("/api/v1/replicasets/web").request().put(Entity.json("null")), 400))
        .contains("body is required");
    assertNothingWritten();
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  void aBodyThatIsNotJsonIs415() {
    assertError(API.target("/api/v1/replicasets/new").request().put(Entity.text(SPEC)), 415);
    assertError(API.target("/api/v1/replicasets/web/replicas").request()
        .put(Entity.entity("replicas=1", MediaType.APPLICATION_FORM_URLENCODED)), 415);
    assertNothingWritten();
  }

  @Test
  @Endpoint("GET /api/v1/replicasets")
  @Endpoint("GET /api/v1/replicasets/{name}")
  void askingForAnythingButJsonIs406() {
    assertThat(API.target("/api/v1/replicasets").request().get().getStatus()).isEqualTo(200);
    assertThat(API.target("/api/v1/replicasets/web").request().get().getStatus()).isEqualTo(200);
    assertError(API.target("/api/v1/replicasets").request(MediaType.TEXT_PLAIN).get(), 406);
    assertError(API.target("/api/v1/replicasets/web").request("application/xml").get(), 406);
  }

  @Test
  @Endpoint("GET /api/v1/replicasets")
  @Endpoint("GET /api/v1/replicasets/{name}/instances")
  void anUnsupportedMethodIs405() {
    assertThat(API.target("/api/v1/replicasets/web/instances").request().get().getStatus()).isEqualTo(200);
    assertError(API.target("/api/v1/replicasets").request().delete(), 405);
    assertError(API.target("/api/v1/replicasets/web/instances").request().post(Entity.json("{}")), 405);
    assertNothingWritten();
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  void anOversizedBodyIs413() {
    String huge = "{\"replicas\":1,\"command\":[\"sleep\",\"" + "x".repeat(BodyLimitFilter.MAX_BODY_BYTES) + "\"]}";
    assertThat(assertError(API.target("/api/v1/replicasets/web").request().put(Entity.json(huge)), 413))
        .contains("larger than " + BodyLimitFilter.MAX_BODY_BYTES);
    assertNothingWritten();
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  void anOversizedBodyThatDeclaresItsLengthIs413BeforeItIsRead() {
    byte[] huge = ("{\"replicas\":1,\"command\":[\"sleep\",\"" + "x".repeat(BodyLimitFilter.MAX_BODY_BYTES) + "\"]}")
        .getBytes(StandardCharsets.UTF_8);
    Response r = API.target("/api/v1/replicasets/web").request().header("Content-Length", huge.length)
        .put(Entity.json(new ByteArrayInputStream(huge)));
    assertThat(assertError(r, 413)).contains("larger than");
    assertNothingWritten();
  }

  /**
   * The in-memory container always hands the whole body over, so a body that understates its length reaches the
   * filter's counting of what is read: the path a chunked body of undeclared length takes over HTTP (which
   * HostileInputIT sends for real).
   */
  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  void anOversizedBodyIs413EvenWhenItDeclaresALengthUnderTheLimit() {
    byte[] huge = ("{\"replicas\":1,\"command\":[\"sleep\",\"" + "x".repeat(BodyLimitFilter.MAX_BODY_BYTES) + "\"]}")
        .getBytes(StandardCharsets.UTF_8);
    Response r = API.target("/api/v1/replicasets/web").request().header("Content-Length", 100)
        .put(Entity.json(new ByteArrayInputStream(huge)));
    assertThat(assertError(r, 413)).contains("larger than");
    assertNothingWritten();
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  void aBodyJustUnderTheLimitIsRead() {
    String arg = ",\"" + "x".repeat(12_400) + "\"";
    String body = "{\"replicas\":1,\"command\":[\"sleep\"" + arg.repeat(21) + "]}";
    assertThat(body.length()).isBetween(BodyLimitFilter.MAX_BODY_BYTES - 2_000, BodyLimitFilter.MAX_BODY_BYTES);
    assertThat(API.target("/api/v1/replicasets/web").request().put(Entity.json(body)).getStatus()).isEqualTo(200);
  }

  @ParameterizedTest(name = "stopping a copy with ?scale={0} is refused naming scale")
  @ValueSource(strings = {"yes", "ture", "1", ""})
  @Endpoint("DELETE /api/v1/replicasets/{name}/instances/{id}")
  void aScaleThatIsNeitherTrueNorFalseIsRefusedAndStopsNothing(String scale) {
    assertError(API.target("/api/v1/replicasets/web/instances/web-1").queryParam("scale", scale).request().delete(),
        400, "scale");
    assertNothingWritten();
  }
}
