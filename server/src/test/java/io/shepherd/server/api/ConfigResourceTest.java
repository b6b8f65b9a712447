package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static io.shepherd.server.api.ResourceTesting.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.ConfigFileSpec;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.api.fake.InMemoryConfigValues;
import io.shepherd.server.api.fake.InMemoryReplicaSets;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.OptionalInt;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /config/{name}/{key}}: reads, compare-and-set writes and deletes, against in-memory values; and the rolling
 * restart a change starts for a set whose config file restarts on change.
 */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class ConfigResourceTest {
  private static final InMemoryReplicaSets SETS = new InMemoryReplicaSets();
  private static final InMemoryConfigValues VALUES = new InMemoryConfigValues(SETS);
  static final ResourceExtension API = ResourceTesting.resources(new ConfigResource(VALUES));

  @BeforeEach
  void onlyWebColourIsSet() throws Exception {
    SETS.clear();
    VALUES.clear();
    VALUES.put("web", "colour", "blue", OptionalInt.empty(), "setup");
  }

  /** Declares {@code web} with a config file that does {@code onChange} (absent: no config file). */
  private static void webWith(String onChange) {
    ConfigFileSpec file = onChange == null ? null : new ConfigFileSpec("app.env", "env", onChange);
    SETS.apply("web", new ReplicaSetSpec(3, List.of("sleep", "60"), null, null, null, null, null, null, null, null,
        null, null, null, null, null, file), OptionalInt.empty(), "alice");
  }

  private static Invocation.Builder at(String path, String... headers) {
    Invocation.Builder b = API.target("/api/v1/config/" + path).request();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private static String stored(String name, String key) {
    return VALUES.get(name, key).map(v -> v.value() + "@" + v.version()).orElse("absent");
  }

  @Test
  @Endpoint("GET /api/v1/config/{name}/{key}")
  void readingAValueGivesItWithItsVersionAsETag() throws Exception {
    VALUES.put("web", "colour", "green", OptionalInt.empty(), "setup");
    Response r = at("web/colour").get();
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"1\"");
    JsonNode body = json(r, 200);
    assertThat(body.path("replicaSet").asText()).isEqualTo("web");
    assertThat(body.path("key").asText()).isEqualTo("colour");
    assertThat(body.path("value").asText()).isEqualTo("green");
    assertThat(body.path("version").asInt()).isEqualTo(1);
  }

  @Test
  @Endpoint("GET /api/v1/config/{name}/{key}")
  @Endpoint("DELETE /api/v1/config/{name}/{key}")
  void aValueThatIsNotSetIs404() {
    assertThat(assertError(at("web/size").get(), 404)).isEqualTo("config value web/size not found");
    assertError(at("api/colour").get(), 404);
    assertError(at("web/size").delete(), 404);
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void settingANewValueIs200AtVersion0() {
    Response r = at("web/size").put(Entity.json("{\"value\":\"large\"}"));
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"0\"");
    JsonNode body = json(r, 200);
    assertThat(body.path("value").asText()).isEqualTo("large");
    assertThat(body.path("version").asInt()).isZero();
    assertThat(stored("web", "size")).isEqualTo("large@0");
    assertThat(VALUES.changes()).as("made by the caller").endsWith("set web/size by admin");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void replacingAValueMovesItsVersionOnAndAnEmptyValueIsAValue() {
    Response r = at("web/colour").put(Entity.json("{\"value\":\"\"}"));
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"1\"");
    assertThat(json(r, 200).path("value").asText()).isEmpty();
    assertThat(stored("web", "colour")).isEqualTo("@1");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void aWriteWithTheCurrentETagSucceedsAndAStaleOneIs412() {
    assertThat(at("web/colour", "If-Match", "\"0\"").put(Entity.json("{\"value\":\"red\"}")).getStatus())
        .isEqualTo(200);
    assertError(at("web/colour", "If-Match", "\"0\"").put(Entity.json("{\"value\":\"pink\"}")), 412);
    assertThat(stored("web", "colour")).isEqualTo("red@1");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void ifMatchOnAValueThatDoesNotExistIs412AndCreatesNothing() {
    assertThat(assertError(at("web/size", "If-Match", "\"0\"").put(Entity.json("{\"value\":\"x\"}")), 412))
        .contains("does not exist");
    assertThat(stored("web", "size")).isEqualTo("absent");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  @Endpoint("DELETE /api/v1/config/{name}/{key}")
  void anIfMatchThatIsNoETagIs400() {
    assertError(at("web/colour", "If-Match", "latest").put(Entity.json("{\"value\":\"x\"}")), 400);
    assertError(at("web/colour", "If-Match", "latest").delete(), 400);
    assertThat(stored("web", "colour")).isEqualTo("blue@0");
  }

  @Test
  @Endpoint("DELETE /api/v1/config/{name}/{key}")
  void deletingIs204AndTheValueIsGone() {
    Response r = at("web/colour").delete();
    assertThat(r.getStatus()).isEqualTo(204);
    assertThat(r.hasEntity()).isFalse();
    assertThat(stored("web", "colour")).isEqualTo("absent");
    assertThat(VALUES.changes()).as("made by the caller").endsWith("deleted web/colour by admin");
  }

  @Test
  @Endpoint("DELETE /api/v1/config/{name}/{key}")
  void aDeleteWithAStaleETagIs412AndKeepsTheValue() throws Exception {
    VALUES.put("web", "colour", "red", OptionalInt.empty(), "setup");
    assertError(at("web/colour", "If-Match", "\"0\"").delete(), 412);
    assertThat(stored("web", "colour")).isEqualTo("red@1");
    assertThat(at("web/colour", "If-Match", "\"1\"").delete().getStatus()).isEqualTo(204);
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  @Endpoint("DELETE /api/v1/config/{name}/{key}")
  void aChangeToASetThatRestartsOnChangeWritesItsRollingRestartByTheCallerWithTheValue() {
    webWith(ConfigFileSpec.RESTART);

    assertThat(at("web/colour").put(Entity.json("{\"value\":\"red\"}")).getStatus()).isEqualTo(200);
    assertThat(at("web/colour").delete().getStatus()).isEqualTo(204);

    assertThat(VALUES.changes()).containsSubsequence("set web/colour by admin", "restart web by admin",
        "deleted web/colour by admin", "restart web by admin");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void writingTheValueAlreadyStoredWritesNothingAndRestartsNothing() {
    webWith(ConfigFileSpec.RESTART);
    List<String> before = VALUES.changes();

    Response r = at("web/colour").put(Entity.json("{\"value\":\"blue\"}"));

    assertThat(r.getHeaderString("ETag")).as("the version stays").isEqualTo("\"0\"");
    assertThat(json(r, 200).path("value").asText()).isEqualTo("blue");
    assertThat(VALUES.changes()).isEqualTo(before);
    assertThat(stored("web", "colour")).isEqualTo("blue@0");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void anUnchangedValueWithAStaleETagIsStill412() {
    assertError(at("web/colour", "If-Match", "\"3\"").put(Entity.json("{\"value\":\"blue\"}")), 412);
  }

  @ParameterizedTest(name = "onChange {0} starts no rolling restart")
  @ValueSource(strings = {"none", "signal:HUP"})
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  @Endpoint("DELETE /api/v1/config/{name}/{key}")
  void aChangeToASetThatDoesNotRestartOnChangeRestartsNothing(String onChange) {
    webWith(onChange);

    assertThat(at("web/colour").put(Entity.json("{\"value\":\"red\"}")).getStatus()).isEqualTo(200);
    assertThat(at("web/colour").delete().getStatus()).isEqualTo(204);

    assertThat(VALUES.changes()).noneMatch(c -> c.startsWith("restart"));
    assertThat(stored("web", "colour")).isEqualTo("absent");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void aChangeToASetWithoutAConfigFileToAnUnknownSetOrToOneBeingDeletedRestartsNothing() {
    webWith(null);
    SETS.apply("old", new ReplicaSetSpec(1, List.of("sleep", "60"), null, null, null, null, null, null, null, null,
        null, null, null, null, null, new ConfigFileSpec("app.env", "env", ConfigFileSpec.RESTART)),
        OptionalInt.empty(), "alice");
    SETS.delete("old", OptionalInt.empty(), "alice");

    assertThat(at("web/colour").put(Entity.json("{\"value\":\"red\"}")).getStatus()).isEqualTo(200);
    assertThat(at("api/colour").put(Entity.json("{\"value\":\"red\"}")).getStatus()).isEqualTo(200);
    assertThat(at("old/colour").put(Entity.json("{\"value\":\"red\"}")).getStatus()).isEqualTo(200);

    assertThat(VALUES.changes()).noneMatch(c -> c.startsWith("restart"));
    assertThat(stored("api", "colour")).isEqualTo("red@0");
    assertThat(stored("old", "colour")).isEqualTo("red@0");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void aRefusedWriteRestartsNothing() {
    webWith(ConfigFileSpec.RESTART);

    assertError(at("web/colour", "If-Match", "\"7\"").put(Entity.json("{\"value\":\"red\"}")), 412);

    assertThat(VALUES.changes()).noneMatch(c -> c.startsWith("restart"));
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  @Endpoint("DELETE /api/v1/config/{name}/{key}")
  void aWriteThatKeepsLosingRacesIs409WithTheStoresMessageAndWritesNothing() {
    webWith(ConfigFileSpec.RESTART);
    ApiException tooOften = ApiException.conflict("config value web/colour or its replica set changed too often "
        + "under this request; nothing was written, try again");

    VALUES.failNextWrite(tooOften);
    assertThat(assertError(at("web/colour").put(Entity.json("{\"value\":\"red\"}")), 409))
        .isEqualTo(tooOften.getMessage());
    VALUES.failNextWrite(tooOften);
    assertThat(assertError(at("web/colour").delete(), 409)).isEqualTo(tooOften.getMessage());

    assertThat(stored("web", "colour")).isEqualTo("blue@0");
    assertThat(VALUES.changes()).containsExactly("set web/colour by setup");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void aWriteWhileZooKeeperIsUnreachableIs503SayingNothingWasWritten() {
    webWith(ConfigFileSpec.RESTART);
    VALUES.failNextWrite(new KeeperException.ConnectionLossException());

    assertThat(assertError(at("web/colour").put(Entity.json("{\"value\":\"red\"}")), 503))
        .contains("nothing was written");

    assertThat(stored("web", "colour")).isEqualTo("blue@0");
    assertThat(VALUES.changes()).containsExactly("set web/colour by setup");
  }

  @ParameterizedTest(name = "the path {0} is refused with 422 naming {1}")
  @CsvSource(delimiter = '|', value = {
      "Web/colour      | name",
      "a.b/colour      | name",
      "web;x=1/colour  | name",
      "web/.hidden     | key",
      "web/-flag       | key",
      "web/a%20b       | key",
      "web/a%2Fb       | key",
      "web/colour;x=1  | key",
  })
  @Endpoint("GET /api/v1/config/{name}/{key}")
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  @Endpoint("DELETE /api/v1/config/{name}/{key}")
  void badNamesAndKeysAreRefusedNamingWhichOnEveryMethod(String path, String field) {
    assertError(at(path).get(), 422, field);
    assertError(at(path).put(Entity.json("{\"value\":\"x\"}")), 422, field);
    assertError(at(path).delete(), 422, field);
    assertThat(stored("web", "colour")).isEqualTo("blue@0");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void aKeyOf128CharactersIsAcceptedAndOneOf129IsNot() {
    assertThat(at("web/" + "k".repeat(128)).put(Entity.json("{\"value\":\"x\"}")).getStatus()).isEqualTo(200);
    assertError(at("web/" + "k".repeat(129)).put(Entity.json("{\"value\":\"x\"}")), 422, "key");
  }

  @ParameterizedTest(name = "the body {0} is refused with {1} naming {2}")
  @CsvSource(delimiter = '|', value = {
      "{}                             | 422 | value",
      "{\"value\":null}               | 422 | value",
      "null                           | 422 | value",
      "{\"value\":[\"a\"]}            | 400 | value",
      "{\"value\":{\"a\":1}}          | 400 | value",
      "{\"value\":\"x\",\"ttl\":5}    | 400 | ttl",
  })
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void badBodiesAreRefusedNamingTheField(String body, int status, String field) {
    assertError(at("web/colour").put(Entity.json(body)), status, field);
    assertThat(stored("web", "colour")).isEqualTo("blue@0");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void anEmptyOrMalformedBodyIsRefused() {
    assertError(at("web/colour").put(Entity.json("")), 422, "value");
    assertThat(assertError(at("web/colour").put(Entity.json("{\"value\":")), 400)).startsWith("malformed JSON");
    assertThat(stored("web", "colour")).isEqualTo("blue@0");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void aValueOver64KibIs422AndOneOfExactly64KibIsStored() {
    String max = "v".repeat(ConfigResource.MAX_VALUE_BYTES);
    assertError(at("web/big").put(Entity.json("{\"value\":\"" + max + "é\"}")), 422, "value");
    assertThat(stored("web", "big")).isEqualTo("absent");
    assertThat(at("web/big").put(Entity.json("{\"value\":\"" + max + "\"}")).getStatus()).isEqualTo(200);
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void aBodyOverTheRequestLimitIs413() {
    String huge = "{\"value\":\"" + "v".repeat(BodyLimitFilter.MAX_BODY_BYTES) + "\"}";
    assertError(at("web/colour").put(Entity.json(huge)), 413);
    assertThat(stored("web", "colour")).isEqualTo("blue@0");
  }

  @Test
  @Endpoint("PUT /api/v1/config/{name}/{key}")
  void aBodyThatIsNotJsonIs415() {
    assertError(at("web/colour").put(Entity.text("red")), 415);
    assertThat(stored("web", "colour")).isEqualTo("blue@0");
  }

  @ParameterizedTest(name = "{0} on a value is 405")
  @ValueSource(strings = {"POST", "PATCH"})
  @Endpoint("GET /api/v1/config/{name}/{key}")
  void methodsOtherThanGetPutAndDeleteAre405(String method) {
    assertThat(at("web/colour").get().getStatus()).isEqualTo(200);
    assertError(at("web/colour").method(method, Entity.json("{\"value\":\"x\"}")), 405);
    assertError(API.target("/api/v1/config/web").request().get(), 404);
  }
}
