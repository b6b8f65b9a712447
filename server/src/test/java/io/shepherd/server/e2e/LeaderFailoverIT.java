package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ControllerWitness;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the leader goes, a standby takes over from ZooKeeper's state and starts nothing twice. */
class LeaderFailoverIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension FIRST = new ServerExtension(ZK::connectString);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  private static ServerExtension leaderOf(Api first) throws Exception {
    return first.leader().isLeader() ? FIRST : SECOND;
  }

  @Test
  void aStandbyInheritsPendingCopiesAndSpawnsNothingExtra() throws Exception {
    ZkLayout layout = ZkLayout.defaultLayout();
    try (CuratorFramework zk = TestZkAuth.serverClient(ZK.connectString(), new RetryOneTime(100))) {
      zk.start();
      // A node whose agent never starts anything: its copies stay pending, as if the leader died mid-spawn.
      zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(layout.node("silent"),
          RecordCodec.write(new NodeRecord("silent", "127.0.0.1", 100, Map.of(), Optional.empty(), Instant.now())));
      Api first = new Api(FIRST.baseUrl());
      await().atMost(Duration.ofSeconds(20)).until(() -> first.leader().leader().isPresent()
          && (first.leader().isLeader() || new Api(SECOND.baseUrl()).leader().isLeader()));
      ServerExtension leader = leaderOf(first);
      ServerExtension standby = leader == FIRST ? SECOND : FIRST;

      new Api(leader.baseUrl()).apply("pending", ReplicaSetSpec.of(3, List.of("sleep", "3201")));
      await().atMost(Duration.ofSeconds(10)).until(() -> zk.getChildren().forPath(layout.assignmentsOf("silent")).size() == 3);
      List<String> assigned = zk.getChildren().forPath(layout.assignmentsOf("silent"));

      try (ControllerWitness witness = new ControllerWitness(standby.application().controller(), ZK.connectString())) {
        leader.stop();
        Api survivor = new Api(standby.baseUrl());
        await().atMost(Duration.ofSeconds(20)).until(() -> survivor.leader().isLeader());

        // Once the new leader has reconciled from a view holding everything, a copy it would start twice is
        // committed (well within the launch timeout, after which pending copies are given up on purpose).
        witness.reconcilePast(Duration.ofSeconds(10));
        assertThat(zk.getChildren().forPath(layout.assignmentsOf("silent")))
            .containsExactlyInAnyOrderElementsOf(assigned);
        assertThat(witness.created("pending")).as("assignments the new leader's cache saw created").isEmpty();
        assertThat(survivor.get("pending").orElseThrow().pending()).isEqualTo(3);
      }
    }
  }
}
