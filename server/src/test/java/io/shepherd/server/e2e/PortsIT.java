package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Instance;
import io.shepherd.api.PortSpec;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Copies that serve: three copies of one HTTP server on one agent, each on a port the leader picked, found through
 * the SDK and each answering on its own port.
 */
class PortsIT {
  private static final Path AGENT_DIR = LocalHttp.tempDir("shepherd-ports-agent");
  /** What the copies serve; its path, unique to this run, is also the marker of their processes. */
  private static final Path SERVED = LocalHttp.tempDir("shepherd-ports-served");
  private static final int FROM = 23_000;
  private static final int TO = 23_999;

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR,
      ConfigOverride.config("agent.ports.from", Integer.toString(FROM)),
      ConfigOverride.config("agent.ports.to", Integer.toString(TO)));

  private ShepherdClient shepherd;

  @BeforeEach
  void client() throws IOException {
    Files.writeString(SERVED.resolve("hello.txt"), "served by a copy\n");
    shepherd = SERVER.adminClientOnceUp();
  }

  @AfterEach
  void closeClient() {
    shepherd.close();
  }

  @Test
  void threeCopiesOfOneServerOnOneHostEachServeOnTheirOwnPort() throws Exception {
    ReplicaSetSpec web = ReplicaSetSpec.of(3,
            List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1", "--directory", SERVED.toString()))
        .withPorts(List.of(new PortSpec("http")))
        .withEnv(Map.of("PYTHONUNBUFFERED", "1"))
        .withStopGraceMs(2_000);

    shepherd.apply("web", web);

    List<Instance> live = awaitServing("web", 3);
    assertThat(live).extracting(Instance::node).containsOnly("node-a");
    assertThat(live).extracting(i -> i.ports().get("http")).doesNotHaveDuplicates()
        .allSatisfy(port -> assertThat(port).isBetween(FROM, TO));

    // A copy killed is restarted in place by its agent: the same id and the same port, a new process, serving again.
    Instance victim = live.get(0);
    Processes.sigkill(victim.pid());
    await().atMost(Duration.ofSeconds(30)).until(() -> shepherd.instances("web").stream()
        .anyMatch(i -> i.id().equals(victim.id()) && i.pid() != victim.pid()));
    List<Instance> after = awaitServing("web", 3);
    Instance back = after.stream().filter(i -> i.id().equals(victim.id())).findFirst().orElseThrow();
    assertThat(back.ports()).isEqualTo(victim.ports());
    assertThat(back.restarts()).isEqualTo(1);
    assertThat(after).extracting(Instance::id).containsExactlyInAnyOrderElementsOf(
        live.stream().map(Instance::id).toList());

    List<Long> pids = after.stream().map(Instance::pid).toList();
    shepherd.delete("web");
    await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.list().isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> Processes.noneAlive(pids)
        && Processes.countDescendantsWith(SERVED.toString()) == 0);
  }

  /** Waits until {@code copies} copies run, each answering a GET on its own port, and returns them. */
  private List<Instance> awaitServing(String name, int copies) {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      List<Instance> live = shepherd.instances(name);
      return live.size() == copies && Processes.allAlive(live) && live.stream().allMatch(PortsIT::serves);
    });
    return shepherd.instances(name);
  }

  private static boolean serves(Instance copy) {
    Integer port = copy.ports().get("http");
    return port != null && LocalHttp.get(port, "/hello.txt").filter("served by a copy\n"::equals).isPresent();
  }
}
