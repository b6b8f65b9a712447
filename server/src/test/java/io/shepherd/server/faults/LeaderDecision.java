package io.shepherd.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.server.controller.Controller;
import io.shepherd.server.controller.Fence;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;

/**
 * The event that ends a "nothing more happens" wait: the leading server has decided every replica set from a view
 * that holds everything ZooKeeper had committed when the call began, and has committed what it decided. Every spawn
 * and every stop a leader orders is an assignment it writes in such a decision, so once one has been made after the
 * fault, what it did not write is not coming (short of a new event, such as a launch timing out). Until one is
 * made, any wait proves nothing.
 */
final class LeaderDecision {
  private static final AtomicInteger BARRIERS = new AtomicInteger();

  private LeaderDecision() {}

  /** Waits until one of {@code servers} leads, has it decide every replica set, and waits until it has. */
  static void awaitDecidedByLeader(Duration atMost, ServerExtension... servers) {
    await().atMost(atMost).untilAsserted(() -> {
      ServerExtension leading = List.of(servers).stream().filter(s -> s.application().controller().isLeader())
          .findFirst().orElseThrow(() -> new AssertionError("no server leads"));
      Controller leader = leading.application().controller();
      Optional<Fence> fence = leader.fence();
      assertThat(fence).as("the leader's fence").isPresent();
      awaitViewCaughtUp(leader, leading.application().zooKeeperClient(), atMost);
      leader.resyncNow();
      assertThat(leader.awaitIdle(atMost)).as("the leader decided every replica set").isTrue();
      assertThat(leader.fence()).as("still leading under the same fence once decided").isEqualTo(fence);
    });
  }

  /**
   * Creates a znode no component reads and waits until the controller's view has seen it. ZooKeeper delivers a
   * client's watch events in the order of their transactions, and the cache reads each node in that order, so the
   * view then holds every change committed before (an expired session's deletions, say).
   */
  private static void awaitViewCaughtUp(Controller controller, CuratorFramework client, Duration atMost)
      throws Exception {
    String barrier = ZkLayout.defaultLayout().root() + "/test-barrier-" + BARRIERS.incrementAndGet();
    CountDownLatch seen = new CountDownLatch(1);
    controller.addChangeListener(e -> {
      if (e.data().getPath().equals(barrier)) {
        seen.countDown();
      }
    });
    client.create().withMode(CreateMode.EPHEMERAL).forPath(barrier);
    try {
      assertThat(seen.await(atMost.toMillis(), TimeUnit.MILLISECONDS)).as("the view saw " + barrier).isTrue();
    } finally {
      client.delete().quietly().forPath(barrier);
    }
  }
}
