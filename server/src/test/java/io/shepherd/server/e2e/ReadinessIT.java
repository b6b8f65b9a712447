package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Instance;
import io.shepherd.api.PortSpec;
import io.shepherd.api.Probe;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ShepherdJson;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Readiness end to end: three copies of one HTTP server on one agent, each on its own port, with an http readiness
 * probe on a file they serve. Discovery (the SDK, {@code ?ready=true}) gives them only while the probe passes.
 */
class ReadinessIT {
  private static final Path AGENT_DIR = LocalHttp.tempDir("shepherd-readiness-agent");
  /** What the copies serve; its path, unique to this run, is also the marker of their processes. */
  private static final Path SERVED = LocalHttp.tempDir("shepherd-readiness-served");
  private static final ObjectMapper JSON = ShepherdJson.newMapper();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR,
      ConfigOverride.config("agent.ports.from", "24000"),
      ConfigOverride.config("agent.ports.to", "24999"));

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ShepherdClient shepherd;

  @BeforeEach
  void client() {
    shepherd = SERVER.adminClientOnceUp();
  }

  @AfterEach
  void closeClient() {
    shepherd.close();
  }

  @Test
  void discoveryGivesTheCopiesWhoseReadinessProbePasses() throws Exception {
    Path flag = SERVED.resolve("ready.txt");
    ReplicaSetSpec web = ReplicaSetSpec.of(3,
            List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1", "--directory", SERVED.toString()))
        .withPorts(List.of(new PortSpec("http")))
        .withStopGraceMs(2_000)
        .withProbes(null, null, Probe.http("http", "/ready.txt").withTimings(0, 200, 1_000, 1, 1));

    shepherd.apply("web", web);

    // Running, but the file the probe asks for is missing: live, registered unready, not discovered.
    await().atMost(Duration.ofSeconds(30)).until(() -> shepherd.instances("web", false).size() == 3);
    assertThat(shepherd.instances("web", false)).extracting(Instance::ready).containsOnly(false);
    assertThat(shepherd.instances("web")).isEmpty();
    assertThat(instancesOverRest("?ready=true")).isEmpty();
    assertThat(shepherd.get("web").ready()).isZero();

    Files.writeString(flag, "ready\n");

    await().atMost(Duration.ofSeconds(30)).until(() -> shepherd.instances("web").size() == 3);
    List<Instance> ready = shepherd.instances("web");
    assertThat(ready).extracting(Instance::ready).containsOnly(true);
    assertThat(ready).extracting(i -> i.ports().get("http")).doesNotHaveDuplicates();
    assertThat(ready).allSatisfy(i -> assertThat(serves(i.ports().get("http"))).isTrue());
    assertThat(instancesOverRest("?ready=true")).extracting(Instance::id)
        .containsExactlyInAnyOrderElementsOf(ready.stream().map(Instance::id).toList());
    assertThat(instancesOverRest("?ready=false")).isEmpty();
    assertThat(shepherd.get("web").ready()).isEqualTo(3);

    Files.delete(flag);

    await().atMost(Duration.ofSeconds(30)).until(() -> shepherd.instances("web").isEmpty());
    assertThat(instancesOverRest("?ready=false")).hasSize(3);
    assertThat(shepherd.instances("web", false)).extracting(Instance::id)
        .as("unready copies keep running").containsExactlyInAnyOrderElementsOf(ready.stream().map(Instance::id).toList());

    List<Long> pids = ready.stream().map(Instance::pid).toList();
    shepherd.delete("web");
    await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.list().isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> Processes.noneAlive(pids)
        && Processes.countDescendantsWith(SERVED.toString()) == 0);
  }

  private List<Instance> instancesOverRest(String query) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create(SERVER.baseUrl() + "/api/v1/replicasets/web/instances" + query))
        .header("Authorization", TestTokens.bearer())
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readValue(r.body(), new TypeReference<>() {});
  }

  private static boolean serves(int port) {
    return LocalHttp.get(port, "/ready.txt").isPresent();
  }
}
