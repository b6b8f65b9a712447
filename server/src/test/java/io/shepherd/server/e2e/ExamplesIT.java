package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.Instance;
import io.shepherd.api.ShepherdJson;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Browser;
import io.shepherd.server.testing.GatewayTraffic;
import io.shepherd.server.testing.LoopbackPort;
import io.shepherd.server.testing.PackagedJar;
import io.shepherd.server.testing.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demos of {@code examples/}. One packaged server for the class, started as the README's first command does
 * ({@code java -jar server/target/shepherd-server.jar server conf/shepherd.yml}, in a directory of its own for
 * {@code ./data}, on free loopback ports, its gateway on a loopback address of its own so that the specs' ports
 * 9001..9003 are used as written). Each demo runs the shell lines of its README's command block, as
 * written, from the repository's root ({@code SHEPHERD_TOKEN} and {@code SHEPHERD_SERVERS} set as a user's shell
 * would have them), and is checked through the gateway: the colour page in a real browser (headless Chromium), the
 * leader pages over HTTP, the web service rolled to version 2 and to a bad version (its README's words, the same
 * line with {@code "VERSION": "bad"}) under load; the load is {@link GatewayTraffic}, not the README's
 * {@code load.py}, which asks 127.0.0.1 only.
 */
class ExamplesIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLES = ROOT.resolve("examples");
  private static final Duration SHOWN = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = ShepherdJson.newMapper();

  private static Process server;
  private static Api api;
  private static String token;
  private static String serverUrl;
  /** Where the gateway listens: a loopback address other runs on this machine do not use. */
  private static String gateway;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startThePackagedServer() throws Exception {
    assertThat(PackagedJar.JAR).exists();
    Path workDir = Files.createTempDirectory("shepherd-examples");
    gateway = freeGatewayAddress();
    int port = LoopbackPort.free();
    server = PackagedJar.start(workDir, port, LoopbackPort.free(), LoopbackPort.free(),
        "agent.gateway.bindHost=" + gateway);
    Path tokenFile = workDir.resolve("data/admin.token");
    await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(tokenFile));
    token = Files.readString(tokenFile).strip();
    serverUrl = "http://127.0.0.1:" + port;
    api = new Api(serverUrl, "Bearer " + token);
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> api.leader().isLeader());
  }

  @AfterAll
  static void stopTheServer() throws Exception {
    Processes.stopWithDescendants(server);
  }

  @AfterEach
  void deleteTheDemos() throws Exception {
    for (String name : List.of("colour", "leader", "web")) {
      if (api.get(name).isPresent()) {
        api.delete(name);
      }
    }
    await().atMost(SHOWN).until(() -> api.get("colour").isEmpty() && api.get("leader").isEmpty()
        && api.get("web").isEmpty());
    await().atMost(SHOWN).until(() -> Processes.countDescendantsWith(EXAMPLES.toString()) == 0);
  }

  @Test
  void theColourPageTurnsToTheConfiguredColourWithoutAReloadOrARestart() throws Exception {
    List<String> readme = readmeCommands("colour");
    assertThat(readme).hasSize(3);
    run(readme.get(0));
    List<Instance> copies = awaitReady("colour");
    assertThat(run(readme.get(1))).contains("READY").contains(copies.get(0).id());
    try (Browser browser = Browser.start()) {
      browser.driver().get("http://" + gateway + ":9001/");
      await().atMost(SHOWN).until(() -> "rgb(255, 255, 255)".equals(background(browser)));
      browser.js("window.noReload = 'still the same page'");

      run(readme.get(2)); // shepherd config set colour background-color '#ccc'

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
  void exactlyOneLeaderPageSaysItLeadsAndAfterTheLeaderIsKilledAnotherLeadsWithAHigherTerm() throws Exception {
    List<String> readme = readmeCommands("leader");
    assertThat(readme).hasSize(3);
    run(readme.get(0));
    List<Instance> copies = awaitReady("leader");
    assertThat(run(readme.get(1))).contains("READY").contains(copies.get(0).id());
    Map<String, JsonNode> seen = new ConcurrentHashMap<>();
    Map<Long, Set<String>> claims = new ConcurrentHashMap<>();
    ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();
    try {
      // The pages as a browser gets them: through the gateway, each request served by any copy.
      reader.scheduleWithFixedDelay(() -> throughGateway(9002, "/status").ifPresent(s -> {
        seen.put(s.get("instance").asText(), s);
        if (s.get("known").asBoolean() && s.get("isLeader").asBoolean()) {
          claims.computeIfAbsent(s.get("term").asLong(), t -> ConcurrentHashMap.newKeySet())
              .add(s.get("instance").asText());
        }
      }), 0, 20, TimeUnit.MILLISECONDS);
      await().atMost(SHOWN).until(() -> {
        List<JsonNode> status = List.copyOf(seen.values());
        Set<String> leaders = status.stream().map(s -> s.path("leader").asText("")).collect(Collectors.toSet());
        return status.size() == 3 && status.stream().allMatch(s -> s.get("known").asBoolean())
            && status.stream().filter(s -> s.get("isLeader").asBoolean()).count() == 1
            && leaders.size() == 1 && !leaders.contains("");
      });
      JsonNode before = seen.values().stream().filter(s -> s.get("isLeader").asBoolean()).findFirst().orElseThrow();
      String leader = before.get("instance").asText();
      long leaderPid = copies.stream().filter(c -> c.id().equals(leader)).findFirst().orElseThrow().pid();
      Instance leading = copies.stream().filter(c -> c.id().equals(leader)).findFirst().orElseThrow();
      assertThat(get(leading, "/")).contains("is the leader");

      run(readme.get(2)); // kill -9 the copy that leads

      await().atMost(SHOWN).until(() -> !Processes.alive(leaderPid));
      await().atMost(SHOWN).until(() -> seen.values().stream().anyMatch(s -> s.get("isLeader").asBoolean()
          && !s.get("instance").asText().equals(leader) && s.get("term").asLong() > before.get("term").asLong()));
    } finally {
      reader.shutdownNow();
      reader.awaitTermination(10, TimeUnit.SECONDS);
    }
    assertThat(claims.values()).as("claims by term: %s", claims).allSatisfy(c -> assertThat(c).hasSize(1));
  }

  @Test
  void theWebServiceRollsToANewVersionUnderLoadWithoutAFailedRequestAndABadVersionRevertsItself() throws Exception {
    List<String> readme = readmeCommands("web");
    assertThat(readme).hasSize(3);
    int port = 9003; // the spec's, on this server's own gateway address
    run(readme.get(0));
    await().atMost(SHOWN).until(() -> api.instances("web").size() == 3
        && api.instances("web").stream().allMatch(Instance::ready) && through(port, "/").startsWith("version 1"));

    // The README's load.py asks 127.0.0.1 only; GatewayTraffic is the same load on this gateway's address, and
    // counts every failed request.
    try (GatewayTraffic load = GatewayTraffic.start(gateway, port, "/ok", "ok\n", 2, Duration.ofMinutes(4))) {
      await().atMost(SHOWN).until(() -> load.succeeded() > 50);

      run(readme.get(2), 0, Duration.ofSeconds(150)); // version 2 with --wait: returns once the rollout is COMPLETE
      assertThat(rollout().path("toRevision").asInt()).isEqualTo(2);
      assertThat(rollout().path("state").asText()).isEqualTo("COMPLETE");
      assertThat(through(port, "/")).startsWith("version 2");

      // The README's next step in words: the same line with "VERSION": "bad" ends REVERTED, exit code 5.
      String bad = readme.get(2).replace("/\"VERSION\": \"2\"/", "/\"VERSION\": \"bad\"/");
      assertThat(bad).isNotEqualTo(readme.get(2));
      run(bad, 5, Duration.ofSeconds(150));
      assertThat(rollout().path("state").asText()).isEqualTo("REVERTED");
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

  private JsonNode rollout() throws Exception {
    return JSON.readTree(api.send("GET", "/replicasets/web/rollout", null).body());
  }

  private String through(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://" + gateway + ":" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  private List<Instance> awaitReady(String name) throws Exception {
    await().atMost(SHOWN).until(() -> {
      List<Instance> live = api.instances(name);
      return live.size() == 3 && live.stream().allMatch(Instance::ready);
    });
    return api.instances(name);
  }

  /** The shell lines of the {@code sh} block of examples/NAME/README.md, a line ending in a backslash joined to the next. */
  private static List<String> readmeCommands(String name) throws Exception {
    String readme = Files.readString(EXAMPLES.resolve(name).resolve("README.md"), StandardCharsets.UTF_8);
    int from = readme.indexOf("```sh\n") + "```sh\n".length();
    String block = readme.substring(from, readme.indexOf("```", from));
    return List.of(block.replace("\\\n", " ").strip().split("\n"));
  }

  /** Runs one README line with bash from the repository's root, as a user's shell would; returns its output. */
  private static String run(String line) throws Exception {
    return run(line, 0, Duration.ofSeconds(60));
  }

  private static String run(String line, int exitCode, Duration timeout) throws Exception {
    ProcessBuilder b = new ProcessBuilder("bash", "-c", line).directory(ROOT.toFile()).redirectErrorStream(true);
    b.environment().put("PWD", ROOT.toString());
    b.environment().put("SHEPHERD_TOKEN", token);
    b.environment().put("SHEPHERD_SERVERS", serverUrl);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", line, out).isEqualTo(exitCode);
    return out;
  }

  private Optional<JsonNode> throughGateway(int port, String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + gateway + ":" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** A loopback address (127.0.x.y) on which the demos' gateway ports are free. */
  private static String freeGatewayAddress() {
    while (true) {
      String address = "127.0." + ThreadLocalRandom.current().nextInt(100, 200) + "."
          + ThreadLocalRandom.current().nextInt(2, 250);
      try (ServerSocket a = new ServerSocket(9001, 50, InetAddress.getByName(address));
          ServerSocket b = new ServerSocket(9002, 50, InetAddress.getByName(address));
          ServerSocket c = new ServerSocket(9003, 50, InetAddress.getByName(address))) {
        return address;
      } catch (IOException taken) {
        // another address
      }
    }
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

  private String get(Instance copy, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + copy.ports().get("http") + path);
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static Set<Long> pids(List<Instance> copies) {
    return copies.stream().map(Instance::pid).collect(Collectors.toSet());
  }
}
