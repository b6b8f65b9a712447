package io.shepherd.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.LeaderInfo;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.RestartPolicy;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerProcess;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.ZkHistory;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Out of process: two server JVMs from the shaded jar; the leader is frozen with SIGSTOP past its session timeout,
 * the other server takes over and does new work, then the old leader is thawed. Whatever the zombie still tries to
 * write is fenced off: the epochs of created assignments never go down, and exactly the target runs.
 */
class ZombieLeaderIT {
  private static final String SESSION_TIMEOUT = "4s"; // the test ZooKeeper's maximum (20 ticks of 200 ms)

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private static ServerProcess server(String name) throws Exception {
    return ServerProcess.start(name, ZK.connectString(),
        "zookeeper.sessionTimeout=" + SESSION_TIMEOUT, "zookeeper.connectionTimeout=2s",
        "controller.resyncInterval=2s", "controller.launchTimeout=10s");
  }

  private static boolean leads(ServerProcess server) {
    try {
      return server.api().leader().isLeader();
    } catch (Exception | AssertionError notUp) {
      return false;
    }
  }

  /** The epoch last claimed, as ZooKeeper holds it. */
  private static long storedEpoch(TestAgent agent) throws Exception {
    byte[] data = agent.client().getData().forPath(ZkLayout.defaultLayout().epoch());
    return Long.parseLong(new String(data, StandardCharsets.UTF_8));
  }

  @Test
  void aLeaderFrozenPastItsSessionIsFencedOffWhenItWakes() throws Exception {
    try (Invariants invariants = new Invariants(ZK.connectString());
         ZkHistory history = new ZkHistory(ZK.connectString());
         TestAgent agent = new TestAgent(ZK.connectString(), "n1");
         ServerProcess one = server("server-one");
         ServerProcess two = server("server-two")) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
          .until(() -> (leads(one) || leads(two)) && (one.api().nodes().size() == 1 && two.api().nodes().size() == 1));
      ServerProcess zombie = leads(one) ? one : two;
      ServerProcess successor = zombie == one ? two : one;
      Api api = zombie.api();
      // Without restarts in place: the killed copy is the leaders' to replace, which is what this test watches.
      api.apply("zombie", ReplicaSetSpec.of(2, List.of("sleep", "3951")).withStopGraceMs(500)
          .withRestart(new RestartPolicy(0, null)));
      await().atMost(Duration.ofSeconds(30)).until(() -> api.instances("zombie").size() == 2
          && Processes.allAlive(api.instances("zombie")));
      long oldEpoch = api.leader().epoch();
      long victim = api.instances("zombie").get(0).pid();

      // From here until it is thawed, nothing may call the zombie: it would never answer.
      zombie.freeze();
      // Stale work for the zombie: a copy dies while it is frozen; the events wait unread in its socket.
      Processes.sigkill(victim);

      Api next = successor.api();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> leads(successor));
      long newEpoch = next.leader().epoch();
      assertThat(newEpoch).isGreaterThan(oldEpoch);
      next.scale("zombie", 4);
      await().atMost(Duration.ofSeconds(30)).until(() -> next.instances("zombie").size() == 4
          && Processes.allAlive(next.instances("zombie")));

      zombie.thaw();
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
        LeaderInfo woke = api.leader();
        return !woke.isLeader() && woke.epoch() >= newEpoch;
      });
      // The zombie does not take the lead back. Every leader claims a new epoch (it increments /epoch), so the
      // successor leading under the same epoch at the end of the test means nobody led in between.
      assertThat(next.leader()).satisfies(l -> assertThat(l.isLeader()).isTrue())
          .satisfies(l -> assertThat(l.epoch()).isEqualTo(newEpoch));
      assertThat(storedEpoch(agent)).as("/epoch").isEqualTo(newEpoch);

      invariants.awaitConverged(Duration.ofSeconds(60));
      // Fenced: after the successor's first write nothing carries the zombie's epoch. The successor itself starts
      // exactly the replacement and the two new copies.
      List<Long> epochs = history.created("zombie").stream().map(c -> c.assignment().epoch()).toList();
      assertThat(epochs).as("two copies by the zombie's epoch, then three by its successor's")
          .containsExactly(oldEpoch, oldEpoch, newEpoch, newEpoch, newEpoch);
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20))
          .until(() -> Processes.countDescendantsWith("sleep 3951") == 4);
      assertThat(next.instances("zombie")).extracting(Instance::pid).allMatch(Processes::alive);
      assertThat(next.leader()).as("the successor still leads, under the epoch it claimed")
          .satisfies(l -> assertThat(l.isLeader()).isTrue())
          .satisfies(l -> assertThat(l.epoch()).isEqualTo(newEpoch));
      assertThat(storedEpoch(agent)).as("/epoch: no leader since the successor").isEqualTo(newEpoch);
      // Control for the window above (the leader is out of process: no event says it has done all it will do): a
      // copy started beyond the target is seen by the same count of this JVM's processes.
      next.scale("zombie", 5);
      await().atMost(Duration.ofSeconds(30)).until(() -> Processes.countDescendantsWith("sleep 3951") == 5);
      // What the zombie did on waking (for the record: whether it tried to write before learning it had lost).
      zombie.log().lines().filter(l -> l.contains("Leadership") || l.contains("reconcile"))
          .forEach(l -> System.out.println("zombie " + zombie.name() + ": " + l));

      next.delete("zombie");
      await().atMost(Duration.ofSeconds(30)).until(() -> next.get("zombie").isEmpty()
          && Processes.countDescendantsWith("sleep 3951") == 0);
    }
  }
}
