package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shepherd.api.Instance;
import io.shepherd.api.ShepherdJson;
import io.shepherd.server.testing.LoopbackPort;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Browser;
import io.shepherd.server.testing.GatewayTraffic;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demos of {@code examples/} as their READMEs run them, against the whole application with its embedded agent:
 * the colour page in a real browser (headless Chromium), the leader pages over HTTP, the web service rolled to a new
 * version and to a bad one under load through the gateway.
 */
class ExamplesIT {
  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  private static final Duration SHOWN = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = ShepherdJson.newMapper();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent(ZK::connectString, "node-a", tempDir());

  private final HttpClient http = HttpClient.newHttpClient();
  private final Api api = new Api(SERVER.baseUrl());

  @AfterEach
  void deleteTheDemos() throws Exception {
    for (String name : List.of("colour", "leader", "web")) {
      if (api.get(name).isPresent()) {
        api.delete(name);
      }
    }
    await().atMost(SHOWN).until(() -> api.get("colour").isEmpty() && api.get("leader").isEmpty()
        && api.get("web").isEmpty());
  }

  @Test
  void theColourPageTurnsToTheConfiguredColourWithoutAReloadOrARestart() throws Exception {
    List<Instance> copies = applyAndAwaitReady("colour");
    try (Browser browser = Browser.start()) {
      browser.driver().get("http://127.0.0.1:" + copies.get(0).ports().get("http") + "/");
      await().atMost(SHOWN).until(() -> "rgb(255, 255, 255)".equals(background(browser)));
      browser.js("window.noReload = 'still the same page'");

      HttpResponse<String> set = api.send("PUT", "/config/colour/background-color", Map.of("value", "#ccc"));
      assertThat(set.statusCode()).isEqualTo(200);

      await().atMost(SHOWN).until(() -> "rgb(204, 204, 204)".equals(background(browser)));
      assertThat((String) browser.js("return window.noReload || null")).isEqualTo("still the same page");
      browser.screenshot("colour-demo");
    }
    assertThat(pids(api.instances("colour"))).as("no copy was restarted").isEqualTo(pids(copies));
    for (Instance copy : copies) {
      await().atMost(SHOWN).until(() -> page(copy, "/colour").get("colour").asText().equals("#ccc"));
    }
  }

  @Test
  void exactlyOneLeaderPageSaysItLeadsAndEveryPageNamesIt() throws Exception {
    List<Instance> copies = applyAndAwaitReady("leader");

    await().atMost(SHOWN).until(() -> {
      List<JsonNode> status = copies.stream().map(c -> page(c, "/status")).toList();
      Set<String> leaders = status.stream().map(s -> s.path("leader").asText("")).collect(Collectors.toSet());
      return status.stream().allMatch(s -> s.get("known").asBoolean())
          && status.stream().filter(s -> s.get("isLeader").asBoolean()).count() == 1
          && leaders.size() == 1 && !leaders.contains("");
    });
    String leader = page(copies.get(0), "/status").get("leader").asText();
    Instance leading = copies.stream().filter(c -> c.id().equals(leader)).findFirst().orElseThrow();
    assertThat(pageText(leading)).contains("is the leader");
  }

  @Test
  void theWebServiceRollsToANewVersionUnderLoadWithoutAFailedRequestAndABadVersionRevertsItself() throws Exception {
    int gateway = LoopbackPort.free(); // not the demo's 9003: another run on this machine may hold it
    applyWeb("1", gateway);
    await().atMost(SHOWN).until(() -> api.instances("web").size() == 3
        && api.instances("web").stream().allMatch(Instance::ready) && through(gateway, "/").startsWith("version 1"));

    try (GatewayTraffic load = GatewayTraffic.start("127.0.0.1", gateway, "/ok", "ok\n", 2, Duration.ofMinutes(4))) {
      await().atMost(SHOWN).until(() -> load.succeeded() > 50);

      applyWeb("2", gateway);
      await().atMost(Duration.ofSeconds(90)).until(() -> rollout().path("toRevision").asInt() == 2
          && "COMPLETE".equals(rollout().path("state").asText()));
      assertThat(through(gateway, "/")).startsWith("version 2");

      applyWeb("bad", gateway);
      await().atMost(Duration.ofSeconds(90)).until(() -> "REVERTED".equals(rollout().path("state").asText()));
      long before = load.succeeded();
      await().atMost(SHOWN).until(() -> load.succeeded() > before + 50);
      load.stop();

      assertThat(load.failures()).isEmpty();
      assertThat(load.failed()).isZero();
    }
    assertThat(api.instances("web")).hasSize(3).allMatch(Instance::ready);
    for (Instance copy : api.instances("web")) {
      assertThat(get(copy, "/")).as("the reverted set runs version 2 again").startsWith("version 2");
    }
  }

  /** Applies examples/web/web.json as its README does, with {@code version} and the gateway on {@code port}. */
  private void applyWeb(String version, int port) throws Exception {
    String spec = Files.readString(EXAMPLES.resolve("web/web.json"), StandardCharsets.UTF_8)
        .replace("@HERE@", EXAMPLES.resolve("web").toString())
        .replace("\"VERSION\": \"1\"", "\"VERSION\": \"" + version + "\"");
    ObjectNode body = (ObjectNode) JSON.readTree(spec);
    assertThat(body.remove("name").asText()).isEqualTo("web");
    ((ObjectNode) body.get("expose")).put("port", port);
    HttpResponse<String> put = api.send("PUT", "/replicasets/web", body);
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
  }

  private JsonNode rollout() throws Exception {
    return JSON.readTree(api.send("GET", "/replicasets/web/rollout", null).body());
  }

  private String through(int gateway, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  private List<Instance> applyAndAwaitReady(String name) throws Exception {
    String spec = Files.readString(EXAMPLES.resolve(name).resolve(name + ".json"), StandardCharsets.UTF_8)
        .replace("@HERE@", EXAMPLES.resolve(name).toString());
    ObjectNode body = (ObjectNode) JSON.readTree(spec);
    assertThat(body.remove("name").asText()).isEqualTo(name);
    // The demos' gateway ports are left out: these tests reach each copy on its own port, and another test run on this
    // machine may hold the gateway's.
    body.remove("expose");
    HttpResponse<String> put = api.send("PUT", "/replicasets/" + name, body);
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    await().atMost(SHOWN).until(() -> {
      List<Instance> live = api.instances(name);
      return live.size() == 3 && live.stream().allMatch(Instance::ready);
    });
    return api.instances(name);
  }

  private static String background(Browser browser) {
    return browser.js("return getComputedStyle(document.body).backgroundColor");
  }

  private JsonNode page(Instance copy, String path) {
    try {
      return JSON.readTree(get(copy, path));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String pageText(Instance copy) throws Exception {
    return get(copy, "/");
  }

  private String get(Instance copy, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + copy.ports().get("http") + path);
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static Set<Long> pids(List<Instance> copies) {
    return copies.stream().map(Instance::pid).collect(Collectors.toSet());
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("shepherd-examples");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
