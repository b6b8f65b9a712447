package io.shepherd.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.RestartPolicy;
import io.shepherd.server.controller.Controller;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ConfiguredAgent;
import io.shepherd.server.testing.ControllerWitness;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZkHistory;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A controller that misses the events of a churn (its queue paused while 40 of 100 copies are killed, then the
 * names those events queued dropped) repairs everything on its next resync, from the state alone, starting exactly
 * the missing copies.
 */
class MissedEventsIT {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();
  private static final int COPIES = 100;
  private static final int KILLED = 40;
  private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(5);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  // No periodic resync during the test: only resyncNow() (the periodic task's own action) repairs.
  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString,
      ConfigOverride.config("controller.resyncInterval", "1h"),
      ConfigOverride.config("controller.launchTimeout", LAUNCH_TIMEOUT.toSeconds() + "s"));

  @Test
  void aResyncRepairsAChurnWhoseEventsWereMissed() throws Exception {
    try (Invariants invariants = new Invariants(ZK.connectString());
         ZkHistory history = new ZkHistory(ZK.connectString());
         ControllerWitness witness = new ControllerWitness(SERVER.application().controller(), ZK.connectString());
         ConfiguredAgent a = ConfiguredAgent.builder(ZK.connectString(), "a").capacity(COPIES).start();
         ConfiguredAgent b = ConfiguredAgent.builder(ZK.connectString(), "b").capacity(COPIES).start()) {
      Api api = new Api(SERVER.baseUrl());
      Controller controller = SERVER.application().controller();
      await().atMost(Duration.ofSeconds(30)).until(() -> api.leader().isLeader() && api.nodes().size() == 2);
      // Without restarts in place: the killed copies are the controller's to replace, which is what this test watches.
      api.apply("herd", ReplicaSetSpec.of(COPIES, List.of("sleep", "3941")).withStopGraceMs(500)
          .withRestart(new RestartPolicy(0, null)));
      await().atMost(Duration.ofSeconds(90)).until(() -> api.instances("herd").size() == COPIES
          && Processes.allAlive(api.instances("herd")));
      // No copy was taken for dead while it registered (a crash-loop state would also set wake-ups of its own).
      assertThat(history.created("herd")).as("copies started to reach the target").hasSize(COPIES);
      assertThat(api.get("herd").orElseThrow().consecutiveFailures()).isZero();

      List<String> assigned = assignmentIds(a.client());
      assertThat(assigned).hasSize(COPIES);
      controller.queue().pause();
      // Wake-ups the controller set for its pending copies fire into the paused queue and are dropped with the rest.
      Instant lastCreated = history.created("herd").stream().map(c -> c.assignment().createdAt())
          .max(Instant::compareTo).orElseThrow();
      await().atMost(Duration.ofSeconds(30))
          .until(() -> Instant.now().isAfter(lastCreated.plus(LAUNCH_TIMEOUT).plusSeconds(1)));

      List<Instance> live = new ArrayList<>(api.instances("herd"));
      Collections.shuffle(live, new Random(11));
      List<Instance> victims = live.subList(0, KILLED);
      victims.forEach(v -> Processes.sigkill(v.pid()));
      Set<String> victimIds = victims.stream().map(Instance::id).collect(Collectors.toSet());
      CuratorFramework zk = a.client();
      await().atMost(Duration.ofSeconds(30)).until(() ->
          zk.getChildren().forPath(LAYOUT.instances("herd")).size() == COPIES - KILLED
              && exited(zk, victims).size() == KILLED);

      // An instance's deletion wakes its replica set a moment later (the controller lets the rest of the change
      // arrive first); once the controller's cache has delivered every deletion, let those delayed wake-ups fire
      // into the paused queue too, so that all are dropped.
      witness.catchUp(Duration.ofSeconds(30));
      await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
      controller.queue().dropQueued();
      controller.queue().resume();
      // Anything still queued would now be decided, and its plan committed, before the queue is idle.
      assertThat(controller.queue().awaitIdle(Duration.ofSeconds(10))).as("the controller's queue drained")
          .isTrue();
      witness.catchUp(Duration.ofSeconds(30));
      assertThat(witness.created("herd")).as("nothing replaced without a resync").hasSize(COPIES);
      assertThat(assignmentIds(zk)).as("nothing cleaned up without a resync")
          .containsExactlyInAnyOrderElementsOf(assigned);
      assertThat(zk.getChildren().forPath(LAYOUT.instances("herd"))).hasSize(COPIES - KILLED);

      controller.queue().resyncNow();

      invariants.awaitConverged(Duration.ofSeconds(60));
      // A copy replaced twice would be one more assignment: once the controller has reconciled past the repair,
      // every one it makes for it is made, and its cache saw each (even one stopped again since).
      witness.reconcilePast(Duration.ofSeconds(20));
      assertThat(witness.created("herd")).as("exactly the killed copies were replaced").hasSize(COPIES + KILLED);
      assertThat(Processes.countDescendantsWith("sleep 3941")).isEqualTo(COPIES);
      assertThat(api.instances("herd")).extracting(Instance::id).doesNotContainAnyElementsOf(victimIds);

      api.delete("herd");
      await().atMost(Duration.ofSeconds(60)).until(() -> api.get("herd").isEmpty()
          && Processes.countDescendantsWith("sleep 3941") == 0);
    }
  }

  /** The ids of every assignment, on every node. */
  private static List<String> assignmentIds(CuratorFramework zk) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String node : zk.getChildren().forPath(LAYOUT.assignments())) {
      ids.addAll(zk.getChildren().forPath(LAYOUT.assignmentsOf(node)));
    }
    return ids;
  }

  /** The victims whose end their agent has recorded. */
  private static List<AssignmentRecord> exited(CuratorFramework zk, List<Instance> victims) throws Exception {
    List<AssignmentRecord> out = new ArrayList<>();
    for (Instance v : victims) {
      byte[] data = zk.getData().forPath(LAYOUT.assignment(v.node(), v.id()));
      AssignmentRecord r = RecordCodec.read(data, AssignmentRecord.class);
      if (r.state() == AssignmentState.EXITED) {
        out.add(r);
      }
    }
    return out;
  }
}
