package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.RestartPolicy;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ControllerWitness;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole application with its embedded agent keeps real processes at their target. */
class KeepAliveIT {
  private static final Path AGENT_DIR = tempDir();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR);

  private Api api;

  @BeforeEach
  void api() {
    api = new Api(SERVER.baseUrl());
    await().atMost(Duration.ofSeconds(20)).until(() -> api.leader().isLeader());
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("shepherd-keepalive");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code copies} of a sleep whose argument marks this test's processes, and waits for them. */
  private List<Instance> runAndAwait(String name, int copies, String marker) throws Exception {
    api.apply(name, ReplicaSetSpec.of(copies, List.of("sleep", marker)).withStopGraceMs(2_000));
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      List<Instance> live = api.instances(name);
      return live.size() == copies && Processes.allAlive(live);
    });
    return api.instances(name);
  }

  private void deleteAndAwaitGone(String name, String marker) throws Exception {
    List<Long> pids = api.instances(name).stream().map(Instance::pid).toList();
    api.delete(name);
    await().atMost(Duration.ofSeconds(20)).until(() -> api.get(name).isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> Processes.noneAlive(pids)
        && Processes.countDescendantsWith(marker) == 0);
  }

  @Test
  void copiesStartToTheTargetAsRealProcesses() throws Exception {
    List<Instance> live = runAndAwait("start", 3, "3001");
    assertThat(live).extracting(Instance::node).containsOnly("node-a");
    assertThat(live).extracting(Instance::pid).doesNotHaveDuplicates().allMatch(Processes::alive);
    assertThat(Processes.countDescendantsWith("3001")).isEqualTo(3);
    deleteAndAwaitGone("start", "3001");
  }

  @Test
  void aSigkilledCopyIsRestartedInPlaceByItsAgentAndTheLeaderCreatesNothing() throws Exception {
    List<Instance> before = runAndAwait("killed", 3, "3002");
    Instance victim = before.get(0);
    try (ControllerWitness witness = new ControllerWitness(SERVER.application().controller(), ZK.connectString())) {
      Processes.sigkill(victim.pid());

      await().atMost(Duration.ofSeconds(10)).until(() -> {
        List<Instance> live = api.instances("killed");
        return live.size() == 3 && live.stream().anyMatch(i -> i.id().equals(victim.id()) && i.pid() != victim.pid())
            && Processes.allAlive(live);
      });
      // Once the leader has reconciled past the kill, any assignment it made for it is made, and its cache saw it.
      witness.reconcilePast(Duration.ofSeconds(10));
      Instance back = api.instances("killed").stream().filter(i -> i.id().equals(victim.id())).findFirst()
          .orElseThrow();
      assertThat(witness.created("killed")).as("copies the leader started after one kill").isEmpty();
      assertThat(back.restarts()).isEqualTo(1);
      assertThat(back.lastExit().code()).as("SIGKILL").isEqualTo(-9);
      assertThat(api.instances("killed")).extracting(Instance::id)
          .containsExactlyInAnyOrderElementsOf(before.stream().map(Instance::id).toList());
      assertThat(Processes.countDescendantsWith("3002")).isEqualTo(3);
    }
    deleteAndAwaitGone("killed", "3002");
  }

  @Test
  void withoutLocalRestartsASigkilledCopyIsReplacedExactlyOnce() throws Exception {
    api.apply("replaced-once", ReplicaSetSpec.of(3, List.of("sleep", "3007")).withStopGraceMs(2_000)
        .withRestart(new RestartPolicy(0, null)));
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      List<Instance> live = api.instances("replaced-once");
      return live.size() == 3 && Processes.allAlive(live);
    });
    List<Instance> before = api.instances("replaced-once");
    Instance victim = before.get(0);
    try (ControllerWitness witness = new ControllerWitness(SERVER.application().controller(), ZK.connectString())) {
      Processes.sigkill(victim.pid());

      await().atMost(Duration.ofSeconds(10)).until(() -> {
        List<Instance> live = api.instances("replaced-once");
        return live.size() == 3 && live.stream().noneMatch(i -> i.id().equals(victim.id()))
            && Processes.allAlive(live);
      });
      // A second replacement would be a second assignment: once the leader has reconciled past the kill, every
      // one it makes for it is made, and its cache saw each, even one stopped again since.
      witness.reconcilePast(Duration.ofSeconds(10));
      List<Instance> live = api.instances("replaced-once");
      Set<String> beforeIds = before.stream().map(Instance::id).collect(Collectors.toSet());
      assertThat(witness.created("replaced-once")).as("copies started after one kill").hasSize(1)
          .allSatisfy(c -> assertThat(beforeIds).doesNotContain(c.instanceId()));
      assertThat(live).hasSize(3).extracting(Instance::id)
          .contains(witness.created("replaced-once").get(0).instanceId()).doesNotContain(victim.id());
      assertThat(Processes.countDescendantsWith("3007")).isEqualTo(3);
    }
    deleteAndAwaitGone("replaced-once", "3007");
  }

  @Test
  void aRestartAskedForOverRestRestartsTheCopyInPlace() throws Exception {
    List<Instance> before = runAndAwait("restarted", 2, "3008");
    Instance chosen = before.get(0);

    assertThat(api.send("POST", "/replicasets/restarted/instances/" + chosen.id() + "/restart", null).statusCode())
        .isEqualTo(202);
    assertThat(api.send("POST", "/replicasets/restarted/instances/restarted-none/restart", null).statusCode())
        .isEqualTo(404);
    assertThat(api.send("POST", "/replicasets/nothing/instances/x/restart", null).statusCode()).isEqualTo(404);

    await().atMost(Duration.ofSeconds(20)).until(() -> api.instances("restarted").stream()
        .anyMatch(i -> i.id().equals(chosen.id()) && i.pid() != chosen.pid() && i.restarts() == 1));
    Instance back = api.instances("restarted").stream().filter(i -> i.id().equals(chosen.id())).findFirst()
        .orElseThrow();
    assertThat(back.lastExit().code()).as("stopped with SIGTERM").isEqualTo(-15);
    assertThat(Processes.alive(chosen.pid())).isFalse();
    assertThat(api.get("restarted").orElseThrow().consecutiveFailures()).as("not a failure").isZero();
    deleteAndAwaitGone("restarted", "3008");
  }

  @Test
  void scalingUpAddsCopiesAndScalingDownStopsTheYoungest() throws Exception {
    List<Instance> first = runAndAwait("scaled", 2, "3003");
    api.scale("scaled", 4);
    await().atMost(Duration.ofSeconds(20)).until(() -> api.instances("scaled").size() == 4
        && Processes.countDescendantsWith("3003") == 4);

    api.scale("scaled", 2);
    await().atMost(Duration.ofSeconds(20)).until(() -> Processes.countDescendantsWith("3003") == 2);
    assertThat(api.instances("scaled")).extracting(Instance::id)
        .containsExactlyInAnyOrderElementsOf(first.stream().map(Instance::id).toList());
    deleteAndAwaitGone("scaled", "3003");
  }

  @Test
  void deletingAReplicaSetStopsEveryCopy() throws Exception {
    runAndAwait("deleted", 3, "3004");
    deleteAndAwaitGone("deleted", "3004");
    assertThat(api.send("GET", "/replicasets/deleted", null).statusCode()).isEqualTo(404);
  }

  @Test
  void killingAChosenCopyWithScaleLowersTheTargetAndKeepsTheOthers() throws Exception {
    List<Instance> before = runAndAwait("chosen", 3, "3005");
    Instance chosen = before.get(1);
    api.kill("chosen", chosen.id(), true);

    await().atMost(Duration.ofSeconds(20)).until(() -> !Processes.alive(chosen.pid())
        && Processes.countDescendantsWith("3005") == 2);
    assertThat(api.get("chosen").orElseThrow().desired()).isEqualTo(2);
    assertThat(api.instances("chosen")).extracting(Instance::id)
        .containsExactlyInAnyOrder(before.get(0).id(), before.get(2).id());
    deleteAndAwaitGone("chosen", "3005");
  }

  @Test
  void killingAChosenCopyWithoutScaleGetsItReplaced() throws Exception {
    List<Instance> before = runAndAwait("replaced", 2, "3006");
    api.kill("replaced", before.get(0).id(), false);
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      List<Instance> live = api.instances("replaced");
      return live.size() == 2 && live.stream().noneMatch(i -> i.id().equals(before.get(0).id()))
          && Processes.countDescendantsWith("3006") == 2;
    });
    deleteAndAwaitGone("replaced", "3006");
  }
}
