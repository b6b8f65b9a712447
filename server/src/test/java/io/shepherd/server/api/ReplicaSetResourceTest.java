package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static io.shepherd.server.api.ResourceTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.api.fake.InMemoryReplicaSets;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /replicasets}: status codes, bodies and ETags of every endpoint, against in-memory replica sets. Bad input
 * is in {@link ReplicaSetInputResourceTest}; what only a real store shows (races, ZooKeeper down) is left to the ITs.
 */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class ReplicaSetResourceTest {
  static final String SPEC = "{\"replicas\":2,\"command\":[\"sleep\",\"60\"]}";
  private static final InMemoryReplicaSets SETS = new InMemoryReplicaSets();
  static final ResourceExtension API = ResourceTesting.resources(new ReplicaSetResource(SETS, SETS));

  @BeforeEach
  void noReplicaSets() {
    SETS.clear();
  }

  private static Invocation.Builder at(String path, String... headers) {
    Invocation.Builder b = API.target("/api/v1/replicasets" + path).request();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private static Invocation.Builder readyInstances(String ready) {
    return API.target("/api/v1/replicasets/web/instances").queryParam("ready", ready).request();
  }

  private static void declare(String name, int replicas) throws Exception {
    SETS.apply(name, ReplicaSetSpec.of(replicas, List.of("sleep", "60")), OptionalInt.empty(), "setup");
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  void creatingAReplicaSetIs201WithVersion0AsItsETagAndItsStatusAsTheBody() {
    Response r = at("/web").put(Entity.json(SPEC));
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"0\"");
    JsonNode body = json(r, 201);
    assertThat(body.path("name").asText()).isEqualTo("web");
    assertThat(body.path("version").asInt()).isZero();
    assertThat(body.path("desired").asInt()).isEqualTo(2);
    assertThat(body.path("deleting").asBoolean()).isFalse();
    assertThat(body.path("spec").path("command").toString()).isEqualTo("[\"sleep\",\"60\"]");
    assertThat(body.path("spec").path("stopGraceMs").asLong()).as("defaults filled in").isEqualTo(10_000);
    assertThat(SETS.stored("web")).isPresent();
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  void replacingASpecIs200AndMovesTheETagOn() {
    assertThat(at("/web").put(Entity.json(SPEC)).getStatus()).isEqualTo(201);
    Response r = at("/web").put(Entity.json("{\"replicas\":5,\"command\":[\"sleep\",\"1\"]}"));
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"1\"");
    assertThat(json(r, 200).path("desired").asInt()).isEqualTo(5);
    assertThat(SETS.stored("web").orElseThrow().value().spec().replicas()).isEqualTo(5);
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  @Endpoint("GET /api/v1/replicasets/{name}")
  void aReplaceWithTheCurrentETagSucceedsAndAStaleOneIs412LeavingTheSpecAsItWas() {
    at("/web").put(Entity.json(SPEC)).close();
    String etag = at("/web").get().getHeaderString("ETag");
    assertThat(etag).isEqualTo("\"0\"");

    Response matching = at("/web", "If-Match", etag).put(Entity.json("{\"replicas\":3,\"command\":[\"sleep\"]}"));
    assertThat(matching.getHeaderString("ETag")).isEqualTo("\"1\"");
    assertThat(json(matching, 200).path("desired").asInt()).isEqualTo(3);

    Response stale = at("/web", "If-Match", etag).put(Entity.json("{\"replicas\":9,\"command\":[\"sleep\"]}"));
    assertThat(assertError(stale, 412)).contains("version 0").contains("version 1");
    assertThat(SETS.stored("web").orElseThrow().value().spec().replicas()).isEqualTo(3);
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  void ifMatchAcceptsAWeakETagAndAStarMeansAnyVersion() {
    at("/web").put(Entity.json(SPEC)).close();
    assertThat(at("/web", "If-Match", "W/\"0\"").put(Entity.json(SPEC)).getStatus()).isEqualTo(200);
    assertThat(at("/web", "If-Match", "*").put(Entity.json(SPEC)).getHeaderString("ETag")).isEqualTo("\"2\"");
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  void ifMatchOnAReplicaSetThatDoesNotExistIs412AndCreatesNothing() {
    assertError(at("/web", "If-Match", "\"0\"").put(Entity.json(SPEC)), 412);
    assertThat(SETS.stored("web")).isEmpty();
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  @Endpoint("DELETE /api/v1/replicasets/{name}")
  void anIfMatchThatIsNoETagIs400() {
    at("/web").put(Entity.json(SPEC)).close();
    assertThat(assertError(at("/web", "If-Match", "yesterday").put(Entity.json(SPEC)), 400)).contains("If-Match");
    assertError(at("/web/replicas", "If-Match", "\"x\"").put(Entity.json("{\"replicas\":1}")), 400);
    assertError(at("/web", "If-Match", "v1").delete(), 400);
    assertThat(SETS.stored("web").orElseThrow().version()).isZero();
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}")
  void readingAReplicaSetGivesItsVersionAsETagAndItsLiveCopies() throws Exception {
    declare("web", 2);
    SETS.addCopy("web", "web-b", "n2");
    SETS.addCopy("web", "web-a", "n1");
    SETS.exit("web", "web-b");
    Response r = at("/web").get();
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"0\"");
    JsonNode body = json(r, 200);
    assertThat(body.path("live").asInt()).isEqualTo(1);
    assertThat(body.path("instances")).hasSize(1);
    assertThat(body.path("instances").get(0).path("id").asText()).isEqualTo("web-a");
    assertThat(body.path("instances").get(0).path("node").asText()).isEqualTo("n1");
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}")
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  @Endpoint("DELETE /api/v1/replicasets/{name}")
  @Endpoint("GET /api/v1/replicasets/{name}/instances")
  @Endpoint("DELETE /api/v1/replicasets/{name}/instances/{id}")
  void anUnknownReplicaSetIs404OnEveryEndpoint() {
    assertThat(assertError(at("/nothing").get(), 404)).isEqualTo("replica set nothing not found");
    assertError(at("/nothing/replicas").put(Entity.json("{\"replicas\":1}")), 404);
    assertError(at("/nothing").delete(), 404);
    assertError(at("/nothing/instances").get(), 404);
    assertError(at("/nothing/instances/x").delete(), 404);
  }

  @Test
  @Endpoint("GET /api/v1/replicasets")
  void theListGivesEveryReplicaSetByNameWithItsCounts() throws Exception {
    assertThat(json(at("").get(), 200)).isEmpty();
    declare("web", 2);
    declare("api", 1);
    SETS.addCopy("web", "web-1", "n1");
    SETS.delete("api", OptionalInt.empty(), "setup");

    JsonNode list = json(at("").get(), 200);
    assertThat(list).hasSize(2);
    assertThat(list.get(0).path("name").asText()).isEqualTo("api");
    assertThat(list.get(0).path("deleting").asBoolean()).isTrue();
    assertThat(list.get(0).path("desired").asInt()).isZero();
    assertThat(list.get(0).path("version").asInt()).isEqualTo(1);
    assertThat(list.get(1).path("name").asText()).isEqualTo("web");
    assertThat(list.get(1).path("desired").asInt()).isEqualTo(2);
    assertThat(list.get(1).path("live").asInt()).isEqualTo(1);
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  void scalingSetsTheCountKeepsTheRestOfTheSpecAndMovesTheETagOn() throws Exception {
    declare("web", 2);
    Response r = at("/web/replicas").put(Entity.json("{\"replicas\":7}"));
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"1\"");
    JsonNode body = json(r, 200);
    assertThat(body.path("desired").asInt()).isEqualTo(7);
    assertThat(body.path("spec").path("command").get(0).asText()).isEqualTo("sleep");

    assertError(at("/web/replicas", "If-Match", "\"0\"").put(Entity.json("{\"replicas\":1}")), 412);
    assertThat(at("/web/replicas", "If-Match", "\"1\"").put(Entity.json("{\"replicas\":0}")).getStatus())
        .isEqualTo(200);
    assertThat(SETS.stored("web").orElseThrow().value().spec().replicas()).isZero();
  }

  @Test
  @Endpoint("DELETE /api/v1/replicasets/{name}")
  void deletingIs202AndTheReplicaSetStaysVisibleAsDeletingUntilItsCopiesAreGone() throws Exception {
    declare("web", 2);
    Response r = at("/web").delete();
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"1\"");
    JsonNode body = json(r, 202);
    assertThat(body.path("deleting").asBoolean()).isTrue();
    assertThat(body.path("desired").asInt()).isZero();
    assertThat(json(at("/web").get(), 200).path("deleting").asBoolean()).isTrue();

    SETS.finishDeleting("web");
    assertError(at("/web").get(), 404);
  }

  @Test
  @Endpoint("DELETE /api/v1/replicasets/{name}")
  void aDeleteWithAStaleETagIs412AndDeletesNothing() throws Exception {
    declare("web", 2);
    SETS.scale("web", 3, OptionalInt.empty(), "setup");
    assertError(at("/web", "If-Match", "\"0\"").delete(), 412);
    assertThat(SETS.stored("web").orElseThrow().value().deleting()).isFalse();
    assertThat(at("/web", "If-Match", "\"1\"").delete().getStatus()).isEqualTo(202);
  }

  @Test
  @Endpoint("PUT /api/v1/replicasets/{name}")
  @Endpoint("PUT /api/v1/replicasets/{name}/replicas")
  void aReplicaSetBeingDeletedCannotBeAppliedOrScaled409() throws Exception {
    declare("web", 2);
    SETS.delete("web", OptionalInt.empty(), "setup");
    assertThat(assertError(at("/web").put(Entity.json(SPEC)), 409)).contains("being deleted");
    assertError(at("/web/replicas").put(Entity.json("{\"replicas\":4}")), 409);
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances")
  void theInstancesAreTheLiveCopiesOldestFirst() throws Exception {
    declare("web", 3);
    assertThat(json(at("/web/instances").get(), 200)).isEmpty();
    SETS.addCopy("web", "web-x", "n1");
    SETS.addCopy("web", "web-y", "n2");
    SETS.addCopy("web", "web-z", "n2");
    SETS.exit("web", "web-z");
    JsonNode copies = json(at("/web/instances").get(), 200);
    assertThat(copies).hasSize(2);
    assertThat(copies.get(0).path("id").asText()).isEqualTo("web-x");
    assertThat(copies.get(0).path("replicaSet").asText()).isEqualTo("web");
    assertThat(copies.get(0).path("host").asText()).isEqualTo("n1.example");
    assertThat(copies.get(0).path("pid").asLong()).isPositive();
    assertThat(copies.get(1).path("id").asText()).isEqualTo("web-y");
  }

  @Test
  @Endpoint("GET /api/v1/replicasets/{name}/instances")
  @Endpoint("GET /api/v1/replicasets/{name}")
  @Endpoint("GET /api/v1/replicasets")
  void readyFiltersTheInstancesAndIsCounted() throws Exception {
    declare("web", 3);
    SETS.addCopy("web", "web-a", "n1", true);
    SETS.addCopy("web", "web-b", "n1", false);
    SETS.addCopy("web", "web-c", "n2", true);

    assertThat(json(at("/web/instances").get(), 200)).extracting(c -> c.path("id").asText())
        .containsExactly("web-a", "web-b", "web-c");
    assertThat(json(readyInstances("true").get(), 200)).extracting(c -> c.path("id").asText())
        .containsExactly("web-a", "web-c");
    assertThat(json(readyInstances("false").get(), 200)).extracting(c -> c.path("id").asText())
        .containsExactly("web-b");
    assertThat(json(at("/web/instances").get(), 200)).extracting(c -> c.path("ready").asBoolean())
        .containsExactly(true, false, true);
    JsonNode status = json(at("/web").get(), 200);
    assertThat(List.of(status.path("live").asInt(), status.path("ready").asInt())).containsExactly(3, 2);
    assertThat(json(at("").get(), 200).get(0).path("ready").asInt()).isEqualTo(2);
  }

  @ParameterizedTest(name = "?ready={0} is refused with 400 naming ready")
  @ValueSource(strings = {"yes", "1", "TRUE", ""})
  @Endpoint("GET /api/v1/replicasets/{name}/instances")
  void readyMustBeTrueOrFalse(String value) throws Exception {
    declare("web", 1);
    SETS.addCopy("web", "web-a", "n1", true);

    assertThat(assertError(readyInstances(value).get(), 400, "ready"))
        .contains("ready must be true or false");
  }

  @Test
  @Endpoint("POST /api/v1/replicasets/{name}/instances/{id}/restart")
  void restartingACopyIs202AndAsksForItsRestartInPlaceKeepingTheSpec() throws Exception {
    declare("web", 2);
    SETS.addCopy("web", "web-1", "n1");
    Response r = at("/web/instances/web-1/restart").post(Entity.json(""));
    assertThat(r.getHeaderString("ETag")).as("the spec did not change").isEqualTo("\"0\"");
    assertThat(json(r, 202).path("desired").asInt()).isEqualTo(2);
    assertThat(SETS.restartsRequested()).as("asked by the caller").containsExactly("web/web-1 by admin");
    assertThat(SETS.copy("web", "web-1")).as("the copy stays").isPresent();
  }

  @Test
  @Endpoint("POST /api/v1/replicasets/{name}/instances/{id}/restart")
  void restartingAnUnknownCopyOrSetIs404() throws Exception {
    declare("web", 1);
    assertThat(assertError(at("/web/instances/web-9/restart").post(Entity.json("")), 404))
        .isEqualTo("instance web-9 of replica set web not found");
    assertThat(assertError(at("/nothing/instances/x/restart").post(Entity.json("")), 404))
        .isEqualTo("replica set nothing not found");
    assertThat(SETS.restartsRequested()).isEmpty();
  }

  @Test
  @Endpoint("DELETE /api/v1/replicasets/{name}/instances/{id}")
  void stoppingACopyIs202AndKeepsTheCountSoTheCopyIsReplaced() throws Exception {
    declare("web", 2);
    SETS.addCopy("web", "web-1", "n1");
    Response r = at("/web/instances/web-1").delete();
    assertThat(r.getHeaderString("ETag")).as("the spec did not change").isEqualTo("\"0\"");
    assertThat(json(r, 202).path("desired").asInt()).isEqualTo(2);
    assertThat(SETS.copy("web", "web-1")).isEmpty();
    assertThat(SETS.stopsRequested()).as("asked by the caller").containsExactly("web/web-1 by admin");
  }

  @Test
  @Endpoint("DELETE /api/v1/replicasets/{name}/instances/{id}")
  void stoppingACopyWithScaleTrueAlsoLowersTheCount() throws Exception {
    declare("web", 2);
    SETS.addCopy("web", "web-1", "n1");
    Response r = API.target("/api/v1/replicasets/web/instances/web-1").queryParam("scale", "true").request().delete();
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"1\"");
    assertThat(json(r, 202).path("desired").asInt()).isEqualTo(1);
    assertThat(SETS.copy("web", "web-1")).isEmpty();
    assertThat(SETS.stored("web").orElseThrow().value().by()).as("lowered by the caller").hasValue("admin");
  }

  @Test
  @Endpoint("DELETE /api/v1/replicasets/{name}/instances/{id}")
  void stoppingAnUnknownCopyIs404AndStopsNothing() throws Exception {
    declare("web", 2);
    SETS.addCopy("web", "web-1", "n1");
    assertThat(assertError(at("/web/instances/web-2").delete(), 404)).contains("web-2");
    assertThat(assertError(at("/web/instances/web-1;x=1").delete(), 404)).as("matrix parameters hide nothing")
        .isNotBlank();
    assertThat(SETS.copy("web", "web-1")).isPresent();
  }
}
