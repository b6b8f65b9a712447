package io.shepherd.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ConfiguredAgent;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZkHistory;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end through the controller: a copy that was started but had not registered yet when the controller
 * cancelled it (scale 1 to 0) is refused when it finally registers, and its agent kills it. The agent is held
 * deterministically between launch and registration by a launch hook.
 */
class LateRegistrationIT {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  @Test
  void aCopyThatRegistersAfterItsAssignmentWasCancelledIsRefusedAndStopped() throws Exception {
    CountDownLatch launched = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger launches = new AtomicInteger();
    AtomicReference<AssignmentRecord> held = new AtomicReference<>();
    AtomicLong heldPid = new AtomicLong();
    try (Invariants invariants = new Invariants(ZK.connectString());
         ZkHistory history = new ZkHistory(ZK.connectString());
         ConfiguredAgent agent = ConfiguredAgent.builder(ZK.connectString(), "slow").afterLaunch((a, pid) -> {
           if (launches.incrementAndGet() == 1) { // only the first copy is held
             held.set(a);
             heldPid.set(pid);
             launched.countDown();
             release.await();
           }
         }).start()) {
      Api api = new Api(SERVER.baseUrl());
      await().atMost(Duration.ofSeconds(30)).until(() -> api.leader().isLeader() && api.nodes().size() == 1);

      api.apply("late", ReplicaSetSpec.of(1, List.of("sleep", "3901")).withStopGraceMs(500));
      assertThat(launched.await(30, TimeUnit.SECONDS)).as("the copy was launched").isTrue();
      long pid = heldPid.get();
      String assignment = LAYOUT.assignment("slow", held.get().instanceId());
      assertThat(Processes.alive(pid)).as("the held copy runs").isTrue();
      assertThat(api.get("late").orElseThrow().pending()).isEqualTo(1);

      // The controller cancels the pending copy while its agent is still between launch and registration.
      api.scale("late", 0);
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.client().checkExists().forPath(assignment) == null);
      assertThat(Processes.alive(pid)).as("the agent has not acted yet").isTrue();

      release.countDown();

      await().atMost(Duration.ofSeconds(20)).until(() -> !Processes.alive(pid) && agent.agent().copyCount() == 0);
      assertThat(history.registered("late")).as("the late copy never registered").isEmpty();
      invariants.awaitConverged(Duration.ofSeconds(30));

      // The same agent registers a copy whose assignment stands: only the cancelled one was refused.
      api.scale("late", 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> api.instances("late").size() == 1
          && Processes.allAlive(api.instances("late")));
      assertThat(history.registered("late")).hasSize(1).doesNotContain(held.get().instanceId());
      invariants.awaitConverged(Duration.ofSeconds(30));

      api.delete("late");
      await().atMost(Duration.ofSeconds(20)).until(() -> api.get("late").isEmpty()
          && Processes.countDescendantsWith("3901") == 0);
    } finally {
      release.countDown();
    }
  }
}
