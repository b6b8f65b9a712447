package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ControllerWitness;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Copies spread over agents, and move to the survivors when an agent goes away. */
class TwoAgentsIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  private TestAgent a;
  private TestAgent b;

  @AfterEach
  void stopAgents() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void stoppingAnAgentReschedulesItsCopiesOntoTheOther() throws Exception {
    Api api = new Api(SERVER.baseUrl());
    a = new TestAgent(ZK.connectString(), "agent-a");
    b = new TestAgent(ZK.connectString(), "agent-b");
    await().atMost(Duration.ofSeconds(20)).until(() -> api.leader().isLeader() && api.nodes().size() == 2);

    api.apply("spread", ReplicaSetSpec.of(4, List.of("sleep", "3101")).withStopGraceMs(1_000));
    await().atMost(Duration.ofSeconds(20)).until(() -> api.instances("spread").size() == 4);
    assertThat(api.instances("spread")).extracting(Instance::node)
        .containsOnly("agent-a", "agent-b")
        .filteredOn("agent-a"::equals).hasSize(2);

    try (ControllerWitness witness = new ControllerWitness(SERVER.application().controller(), ZK.connectString())) {
      a.close(); // returns once its copies are stopped

      await().atMost(Duration.ofSeconds(20)).until(() -> {
        List<Instance> live = api.instances("spread");
        return live.size() == 4 && live.stream().allMatch(i -> i.node().equals("agent-b"))
            && Processes.allAlive(live);
      });
      // An extra copy would be an assignment: once the leader has reconciled past the move, every one it will
      // make for it is made. Each was seen by its cache, even one stopped again since. A closing agent removes its
      // node only once its copies have stopped, so replacements may first be placed on agent-a, where nothing
      // starts them; they are given up after the node's grace. What can run is what was placed on agent-b.
      witness.reconcilePast(Duration.ofSeconds(10));
      assertThat(witness.created("spread")).filteredOn(c -> c.nodeId().equals("agent-b"))
          .as("copies placed on the survivor after the agent went").hasSize(2);
      assertThat(api.instances("spread")).hasSize(4);
      assertThat(Processes.countDescendantsWith("3101")).isEqualTo(4);
    }

    api.delete("spread");
    await().atMost(Duration.ofSeconds(20)).until(() -> Processes.countDescendantsWith("3101") == 0);
  }
}
