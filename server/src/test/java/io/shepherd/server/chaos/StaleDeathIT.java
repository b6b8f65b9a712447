package io.shepherd.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.controller.CommitHook;
import io.shepherd.server.controller.Controller;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ControllerWitness;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.ZkHistory;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found by {@link ChaosIT} (seed 1002): an agent re-registered its node (delete, create) just as it launched a
 * copy; the leader, seeing the node gone and the copy still ASSIGNED, judged it dead, and between that decision and
 * its commit the agent registered the copy. The leader's delete must not remove what changed since it decided:
 * else a healthy copy is stopped and a replacement overlaps it (a copy above the target).
 *
 * <p>Deterministic: the agent is played by hand, inside a commit hook, exactly between decision and commit.
 */
class StaleDeathIT {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  @Test
  void aCopyRegisteredWhileTheLeaderJudgedItDeadIsKeptAndNotReplaced() throws Exception {
    try (Invariants invariants = new Invariants(ZK.connectString());
         ZkHistory history = new ZkHistory(ZK.connectString());
         ControllerWitness witness = new ControllerWitness(SERVER.application().controller(), ZK.connectString());
         CuratorFramework hand = TestZkAuth.serverClient(ZK.connectString(), new RetryOneTime(100))) {
      hand.start();
      hand.blockUntilConnected();
      registerNode(hand);
      Api api = new Api(SERVER.baseUrl());
      await().atMost(Duration.ofSeconds(30)).until(() -> api.leader().isLeader() && api.nodes().size() == 1);
      api.apply("raced", ReplicaSetSpec.of(1, List.of("sleep", "3971")));
      await().atMost(Duration.ofSeconds(20)).until(() -> history.created("raced").size() == 1);
      AssignmentRecord assigned = history.created("raced").get(0).assignment();
      String path = LAYOUT.assignment("hand", assigned.instanceId());

      Controller controller = SERVER.application().controller();
      AtomicBoolean raced = new AtomicBoolean();
      AtomicBoolean registeredInTheRace = new AtomicBoolean();
      SERVER.commitHook().set(plan -> {
        if (plan.replicaSet().equals("raced") && !plan.cleanUp().isEmpty() && raced.compareAndSet(false, true)) {
          try {
            // The agent is back and registers the copy the leader has just judged dead.
            registerNode(hand);
            Stat stat = new Stat();
            hand.getData().storingStatIn(stat).forPath(path);
            hand.transaction().forOperations(
                hand.transactionOp().check().withVersion(stat.getVersion()).forPath(path),
                hand.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(
                    LAYOUT.instance("raced", assigned.instanceId()),
                    RecordCodec.write(new InstanceRecord(assigned.instanceId(), "raced", "hand", "127.0.0.1", 4242,
                        Instant.now(), assigned.specVersion()))),
                hand.transactionOp().setData().withVersion(stat.getVersion())
                    .forPath(path, RecordCodec.write(assigned.running(4242, Instant.now()))));
            registeredInTheRace.set(true);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
      // The node vanishes (its agent re-registers): the pending copy is on a gone node.
      hand.delete().forPath(LAYOUT.node("hand"));
      await().atMost(Duration.ofSeconds(20)).untilTrue(registeredInTheRace);
      SERVER.commitHook().set(CommitHook.NONE);

      // The stale delete has been attempted once the hooked reconcile ended; a retry, or a decision made from a view
      // that had not seen the registration yet, is over once the leader has reconciled from a view that holds it.
      // Had the delete gone through, the leader would by then have started a replacement: assert once.
      witness.reconcilePast(Duration.ofSeconds(20));
      assertThat(hand.checkExists().forPath(path)).as("the registered copy's assignment").isNotNull();
      assertThat(hand.getChildren().forPath(LAYOUT.assignmentsOf("hand"))).as("assignments on the node")
          .containsExactly(assigned.instanceId());
      assertThat(witness.created("raced")).extracting(AssignmentRecord::instanceId)
          .as("assignments the leader's cache saw created").containsExactly(assigned.instanceId());
      assertThat(history.created("raced")).as("assignments ever created").hasSize(1);
      assertThat(api.get("raced").orElseThrow().live()).isEqualTo(1);
      invariants.awaitConverged(Duration.ofSeconds(20));

      api.delete("raced");
      await().atMost(Duration.ofSeconds(20)).until(() -> hand.checkExists().forPath(path) == null);
      hand.delete().forPath(LAYOUT.instance("raced", assigned.instanceId())); // the hand-played agent stops it
      await().atMost(Duration.ofSeconds(20)).until(() -> api.get("raced").isEmpty());
    }
  }

  private static void registerNode(CuratorFramework client) throws Exception {
    client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(LAYOUT.node("hand"),
        RecordCodec.write(new NodeRecord("hand", "127.0.0.1", 10, Map.of(), Optional.empty(), Instant.now())));
    if (client.checkExists().forPath(LAYOUT.assignmentsOf("hand")) == null) {
      client.create().creatingParentsIfNeeded().forPath(LAYOUT.assignmentsOf("hand"));
    }
  }
}
