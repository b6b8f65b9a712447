package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A leader that decided, paused past its session, and woke to commit writes nothing: the epoch fences it off. */
class FencingIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private final ZkLayout layout = new ZkLayout("/fencing");
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private CuratorFramework client() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(ZK.connectString())
        .sessionTimeoutMs(2_000).connectionTimeoutMs(1_000).retryPolicy(new ExponentialBackoffRetry(50, 5)).build();
    c.start();
    c.blockUntilConnected();
    closeables.add(c);
    return c;
  }

  private Controller controller(CuratorFramework client, String id) throws Exception {
    return controller(client, id, CommitHook.NONE);
  }

  private Controller controller(CuratorFramework client, String id, CommitHook hook) throws Exception {
    Controller c = new Controller(client, layout,
        new ControllerSettings(id, Duration.ofMinutes(5), Duration.ofSeconds(30)), Clock.systemUTC(),
        ControllerHooks.NONE.withCommitHook(hook));
    closeables.add(c);
    return c;
  }

  @Test
  void aStaleLeadersPlanIsRejectedAndNothingReachesAnAgent() throws Exception {
    CuratorFramework admin = client();
    admin.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(layout.node("n1"),
        RecordCodec.write(new NodeRecord("n1", "127.0.0.1", 10, Map.of(), Optional.empty(), Instant.now())));
    admin.create().creatingParentsIfNeeded().forPath(layout.assignmentsOf("n1"));

    CountDownLatch decided = new CountDownLatch(1);
    CountDownLatch wake = new CountDownLatch(1);
    // Holds every plan until woken; once woken, lets every plan through.
    Controller zombie = controller(client(), "zombie", plan -> {
      decided.countDown();
      wake.await();
    });
    zombie.start();
    await().atMost(10, TimeUnit.SECONDS).until(zombie::isLeader);
    long zombieEpoch = zombie.fence().orElseThrow().epoch();

    admin.transaction().forOperations(
        admin.transactionOp().create().forPath(layout.replicaSet("web"),
            RecordCodec.write(StoredReplicaSet.of(ReplicaSetSpec.of(1, List.of("sleep", "300"))))),
        admin.transactionOp().create().forPath(layout.instances("web")),
        admin.transactionOp().create().forPath(layout.status("web"), RecordCodec.write(CrashLoopState.HEALTHY)));
    assertThat(decided.await(10, TimeUnit.SECONDS)).as("the zombie decided to start a copy").isTrue();

    // The zombie's session expires while it is paused; a standby takes over and acts.
    Controller successor = controller(client(), "successor");
    successor.start();
    zombieClientOf(zombie).getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    await().atMost(15, TimeUnit.SECONDS).until(successor::isLeader);
    long successorEpoch = successor.fence().orElseThrow().epoch();
    assertThat(successorEpoch).isGreaterThan(zombieEpoch);
    await().atMost(10, TimeUnit.SECONDS).until(() -> assignments(admin).size() == 1);

    // The zombie wakes and commits the plan it made under its old epoch. Its reconcile thread holds that plan
    // (its queue counts it in progress) until the commit has been attempted: once the queue is idle, whatever the
    // stale commit could write is written, so the state is asserted once.
    wake.countDown();
    assertThat(zombie.queue().awaitIdle(Duration.ofSeconds(10))).as("the zombie attempted its stale commit").isTrue();

    assertThat(assignments(admin)).hasSize(1).allSatisfy(a -> assertThat(a.epoch()).isEqualTo(successorEpoch));
    assertThat(zombie.isLeader()).as("the zombie, fenced off, does not lead").isFalse();
  }

  private CuratorFramework zombieClientOf(Controller zombie) {
    return closeables.stream().filter(CuratorFramework.class::isInstance).map(CuratorFramework.class::cast)
        .skip(1).findFirst().orElseThrow();
  }

  private List<AssignmentRecord> assignments(CuratorFramework admin) throws Exception {
    List<AssignmentRecord> out = new ArrayList<>();
    for (String id : admin.getChildren().forPath(layout.assignmentsOf("n1"))) {
      out.add(RecordCodec.read(admin.getData().forPath(layout.assignment("n1", id)), AssignmentRecord.class));
    }
    return out;
  }
}
