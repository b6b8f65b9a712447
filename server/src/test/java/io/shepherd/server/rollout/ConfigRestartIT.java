package io.shepherd.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.ConfigFileSpec;
import io.shepherd.api.Instance;
import io.shepherd.api.PortSpec;
import io.shepherd.api.Probe;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutPolicy;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.RolloutSampler;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change of a configuration value of a set whose config file says {@code onChange: restart}, end to end on one
 * server with its embedded agent: real HTTP servers, each serving its own working directory (so its config file), with
 * an http readiness probe, and a sampler that reads the set every 20 ms through the API.
 */
class ConfigRestartIT {
  private static final Path AGENT_DIR = LocalHttp.tempDir("shepherd-config-restart-agent");
  private static final Duration LONG = Duration.ofSeconds(90);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR,
      ConfigOverride.config("agent.ports.from", "27000"),
      ConfigOverride.config("agent.ports.to", "27999"));

  private ShepherdClient shepherd;
  private Api api;
  private final List<Long> pids = new ArrayList<>();

  @BeforeEach
  void client() {
    shepherd = SERVER.adminClientOnceUp();
    api = new Api(SERVER.baseUrl());
  }

  @AfterEach
  void cleanUp() {
    pids.addAll(shepherd.instances("web").stream().map(Instance::pid).toList());
    shepherd.list().forEach(s -> shepherd.delete(s.name()));
    await().atMost(Duration.ofSeconds(30)).until(() -> shepherd.list().isEmpty() && Processes.noneAlive(pids));
    shepherd.close();
  }

  /** Three HTTP servers of their working directories, surge 1, unavailable 0, restarted for a change. */
  private static ReplicaSetSpec web() {
    return ReplicaSetSpec.of(3, List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1"))
        .withPorts(List.of(new PortSpec("http")))
        .withStopGraceMs(2_000)
        .withProbes(null, null, Probe.http("http", "/").withTimings(0, 200, 1_000, 1, 1))
        .withRollout(RolloutPolicy.DEFAULT.withBounds("1", "0"))
        .withConfigFile(new ConfigFileSpec("app.env", "env", "restart"));
  }

  /** The config file a copy serves from its working directory. */
  private static Optional<String> fileOf(Instance copy) {
    return LocalHttp.get(copy.ports().get("http"), "/app.env");
  }

  private void put(String key, String value) throws Exception {
    assertThat(api.send("PUT", "/config/web/" + key, Map.of("value", value)).statusCode()).isEqualTo(200);
  }

  @Test
  void aChangedValueRollsARestartWithinTheBoundsAndEveryNewCopyStartsWithIt() throws Exception {
    put("colour", "red"); // before the set exists: nothing to restart
    shepherd.apply("web", web());
    await().atMost(LONG).until(() -> shepherd.instances("web").size() == 3 && shepherd.get("web").live() == 3
        && shepherd.rollout("web").state() == RolloutState.COMPLETE);
    List<Instance> old = shepherd.instances("web");
    pids.addAll(old.stream().map(Instance::pid).toList());
    assertThat(old).allSatisfy(c -> assertThat(fileOf(c)).contains("COLOUR='red'\n"));

    try (RolloutSampler sampler = new RolloutSampler(shepherd, "web")) {
      put("colour", "green");
      await().atMost(LONG).until(() -> shepherd.rollout("web").toRevision() == 2
          && shepherd.rollout("web").state() == RolloutState.COMPLETE);
      assertThat(sampler.maxCopies()).as("the sampler saw the surge copy").isEqualTo(4);
      assertThat(sampler.minReady()).as("never fewer than replicas - maxUnavailable ready").isEqualTo(3);
    }

    Rollout done = shepherd.rollout("web");
    assertThat(done.fromRevision()).isEqualTo(1);
    assertThat(done.reason()).isEqualTo(RolloutReason.ALL_COPIES_UPDATED);
    assertThat(done.startedBy()).as("the token that wrote the value").isEqualTo("test-admin");
    assertThat(shepherd.revisions("web")).extracting(Revision::cause)
        .containsExactly(RolloutReason.NEW_REVISION, RolloutReason.RESTART);
    List<Instance> now = shepherd.instances("web");
    assertThat(now).hasSize(3).extracting(Instance::revision).containsOnly(2);
    assertThat(now).extracting(Instance::id).doesNotContainAnyElementsOf(old.stream().map(Instance::id).toList());
    assertThat(now).extracting(Instance::pid).doesNotContainAnyElementsOf(pids);
    assertThat(now).allSatisfy(c -> assertThat(fileOf(c)).contains("COLOUR='green'\n"));
    await().atMost(Duration.ofSeconds(15)).until(() -> Processes.noneAlive(pids));
  }
}
