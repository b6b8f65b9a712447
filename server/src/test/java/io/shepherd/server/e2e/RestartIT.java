package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.LoopbackPort;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ControllerWitness;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/** The one-machine default (embedded ZooKeeper and agent) restarted on the same data dir. */
class RestartIT {
  private static ServerExtension server(Path data, int zkPort) {
    return new ServerExtension(() -> "127.0.0.1:" + zkPort,
        ConfigOverride.config("embeddedZooKeeper.enabled", "true"),
        ConfigOverride.config("embeddedZooKeeper.port", Integer.toString(zkPort)),
        ConfigOverride.config("embeddedZooKeeper.dataDir", data.resolve("zookeeper").toString()),
        ConfigOverride.config("embeddedZooKeeper.tickTime", "200ms"),
        ConfigOverride.config("agent.enabled", "true"),
        ConfigOverride.config("agent.dataDir", data.resolve("agent").toString()));
  }

  private static List<String> assignmentIds(CuratorFramework zk) throws Exception {
    ZkLayout layout = ZkLayout.defaultLayout();
    List<String> ids = new ArrayList<>();
    for (String node : zk.getChildren().forPath(layout.assignments())) {
      ids.addAll(zk.getChildren().forPath(layout.assignmentsOf(node)));
    }
    return ids;
  }

  @Test
  void aRestartedServerFindsItsSpecsReturnsToTargetAndLeavesNoOrphan() throws Exception {
    Path data = Files.createTempDirectory("shepherd-restart");
    int zkPort = LoopbackPort.free();

    ServerExtension first = server(data, zkPort);
    first.start();
    List<Long> firstPids;
    try {
      Api api = new Api(first.baseUrl());
      await().atMost(Duration.ofSeconds(20)).until(() -> api.leader().isLeader());
      api.apply("durable", ReplicaSetSpec.of(2, List.of("sleep", "3301")).withStopGraceMs(1_000));
      await().atMost(Duration.ofSeconds(20)).until(() -> api.instances("durable").size() == 2);
      firstPids = api.instances("durable").stream().map(Instance::pid).toList();
    } finally {
      first.stop();
    }
    assertThat(Processes.noneAlive(firstPids)).as("a stopped server's agent stops its copies").isTrue();

    ServerExtension second = server(data, zkPort);
    second.start();
    try {
      Api api = new Api(second.baseUrl());
      await().atMost(Duration.ofSeconds(30)).until(() -> api.get("durable").isPresent()
          && api.instances("durable").size() == 2 && Processes.allAlive(api.instances("durable")));
      // A copy started twice, or one not stopped, would show in the assignments: once the restarted leader has
      // reconciled past its return to target, every one it makes for it is made (and its cache saw each).
      String zk = "127.0.0.1:" + zkPort;
      try (ControllerWitness witness = new ControllerWitness(second.application().controller(), zk)) {
        witness.reconcilePast(Duration.ofSeconds(10));
        assertThat(witness.created("durable")).as("copies started once back at the target").isEmpty();
      }
      List<Instance> live = api.instances("durable");
      assertThat(live).hasSize(2).extracting(Instance::pid).doesNotContainAnyElementsOf(firstPids);
      assertThat(assignmentIds(second.application().zooKeeperClient()))
          .containsExactlyInAnyOrderElementsOf(live.stream().map(Instance::id).toList());
      assertThat(Processes.countDescendantsWith("3301")).isEqualTo(2);
      api.delete("durable");
      await().atMost(Duration.ofSeconds(20)).until(() -> Processes.countDescendantsWith("3301") == 0);
    } finally {
      second.stop();
    }
  }
}
