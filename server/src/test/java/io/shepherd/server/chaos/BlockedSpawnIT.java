package io.shepherd.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.controller.CommitHook;
import io.shepherd.server.controller.Controller;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.ZkHistory;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leader whose reconcile thread is stuck in a spawn (a commit hook that blocks until the test releases it) loses
 * its session meanwhile. Losing leadership never waits for the reconcile thread: the standby leads within the
 * session timeout plus slack while the spawn is still blocked, and the blocked plan, once released, is fenced off.
 */
class BlockedSpawnIT {
  /** test-server.yml's session timeout: the standby waits this long for the old leader's latch node to go. */
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
  /** Generous for a loaded machine, and independent of the spawn, which stays blocked until after it. */
  private static final Duration TAKEOVER_BOUND = SESSION_TIMEOUT.plusSeconds(16);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension FIRST = new ServerExtension(ZK::connectString);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  @Test
  void aSpawnBlockedForLongDoesNotDelayTheTakeoverAndItsLateWriteIsFenced() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> reconcileThread = new AtomicReference<>();
    try (Invariants invariants = new Invariants(ZK.connectString());
         ZkHistory history = new ZkHistory(ZK.connectString());
         TestAgent agent = new TestAgent(ZK.connectString(), "n1")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> controller(FIRST).isLeader() || controller(SECOND).isLeader());
      ServerExtension leader = controller(FIRST).isLeader() ? FIRST : SECOND;
      ServerExtension standby = leader == FIRST ? SECOND : FIRST;
      Controller stuck = controller(leader);
      long oldEpoch = stuck.fence().orElseThrow().epoch();
      leader.commitHook().set(plan -> {
        if (plan.replicaSet().equals("blocked") && !plan.startOn().isEmpty()) {
          reconcileThread.set(Thread.currentThread());
          blocked.countDown();
          release.await();
        }
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> new Api(leader.baseUrl()).nodes().size() == 1);

      new Api(leader.baseUrl()).apply("blocked", ReplicaSetSpec.of(1, List.of("sleep", "3921")).withStopGraceMs(500));
      assertThat(blocked.await(20, TimeUnit.SECONDS)).as("the leader decided to spawn and is stuck").isTrue();

      leader.application().zooKeeperClient().getZookeeperClient().getZooKeeper().getTestable()
          .injectSessionExpiration();

      await().atMost(Duration.ofSeconds(10)).until(() -> !stuck.isLeader());
      assertThat(new Api(leader.baseUrl()).leader().isLeader()).as("the stuck server says it does not lead").isFalse();
      await().atMost(TAKEOVER_BOUND).until(() -> controller(standby).isLeader());
      assertThat(release.getCount()).as("the spawn is still blocked: the takeover did not wait for it").isEqualTo(1);
      long newEpoch = controller(standby).fence().orElseThrow().epoch();
      assertThat(newEpoch).isGreaterThan(oldEpoch);

      Api survivor = new Api(standby.baseUrl());
      await().atMost(Duration.ofSeconds(30)).until(() -> survivor.instances("blocked").size() == 1
          && Processes.allAlive(survivor.instances("blocked")));

      // The old leader wakes and commits the plan it made under its old epoch.
      leader.commitHook().set(CommitHook.NONE);
      release.countDown();
      await().atMost(Duration.ofSeconds(30)).until(() -> isBackInTheQueue(reconcileThread.get()));

      assertThat(history.created("blocked")).as("assignments created")
          .allSatisfy(c -> assertThat(c.assignment().epoch()).isEqualTo(newEpoch));
      invariants.awaitConverged(Duration.ofSeconds(30));
      assertThat(Processes.countDescendantsWith("3921")).isEqualTo(1);

      survivor.delete("blocked");
      await().atMost(Duration.ofSeconds(20)).until(() -> survivor.get("blocked").isEmpty()
          && Processes.countDescendantsWith("3921") == 0);
    } finally {
      release.countDown();
    }
  }

  private static Controller controller(ServerExtension server) {
    return server.application().controller();
  }

  /** The reconcile thread finished the released plan (committed or rejected) and waits for the next name. */
  private static boolean isBackInTheQueue(Thread thread) {
    StackTraceElement[] stack = thread.getStackTrace();
    return Arrays.stream(stack)
        .anyMatch(f -> f.getClassName().endsWith(".WorkQueue") && f.getMethodName().equals("pollBatch"))
        && Arrays.stream(stack).noneMatch(f -> f.getClassName().endsWith(".PlanExecutor")
            || f.getClassName().contains("BlockedSpawnIT"));
  }
}
