package io.shepherd.server.faults;

import static io.shepherd.server.faults.Copies.PATIENCE;
import static io.shepherd.server.faults.Copies.awaitRunning;
import static io.shepherd.server.faults.Copies.deleteAndAwaitGone;
import static io.shepherd.server.faults.Copies.ids;
import static io.shepherd.server.faults.Copies.pids;
import static io.shepherd.server.faults.Copies.pidsById;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.LeaderInfo;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperEnsembleExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults of a three-server ZooKeeper ensemble under two Shepherd servers and two agents. */
class EnsembleFaultsIT {
  @RegisterExtension
  static final ZooKeeperEnsembleExtension ENSEMBLE = new ZooKeeperEnsembleExtension();

  @RegisterExtension
  static final ServerExtension FIRST = new ServerExtension(ENSEMBLE::connectString);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ENSEMBLE::connectString);

  private final Api first = new Api(FIRST.baseUrl());
  private final Api second = new Api(SECOND.baseUrl());
  private TwoAgentBed bed;

  @BeforeEach
  void setUp() throws Exception {
    bed = TwoAgentBed.start(ENSEMBLE.connectString(), FIRST, SECOND);
  }

  @AfterEach
  void tearDown() throws Exception {
    bed.close();
  }

  @Test
  void restartingEachZooKeeperServerInTurnLeaderFirstSpawnsNothingAndLeavesEveryCopyRunning() throws Exception {
    String marker = "3730001";
    bed.scenario.apply("rolling", 4, marker);
    List<Instance> before = awaitRunning(first, "rolling", 4);
    AssignmentLedger ledger = AssignmentLedger.read(bed.zk);
    long sessionA = bed.a.agent().registeredSession().orElseThrow();
    long sessionB = bed.b.agent().registeredSession().orElseThrow();
    List<InstanceSpec> order = new ArrayList<>(List.of(ENSEMBLE.leader()));
    ENSEMBLE.servers().stream().filter(s -> !order.contains(s)).forEach(order::add);

    try (LeaderSampler leaders = new LeaderSampler(List.of(first, second))) {
      for (InstanceSpec server : order) {
        List<InstanceSpec> others = ENSEMBLE.servers().stream().filter(s -> !s.equals(server)).toList();
        ENSEMBLE.kill(server);
        ENSEMBLE.awaitQuorum(others);
        // What would stop a copy: its agent losing its session (it stops them all), or the leader deleting its
        // assignment. Once both agents are served in their own sessions again and a leader has decided, neither
        // is on its way.
        bed.awaitConnectedInSessions(PATIENCE, sessionA, sessionB);
        bed.awaitDecidedByLeader(PATIENCE);
        assertThat(Processes.allAlive(before)).as("every copy runs with one ZooKeeper server down").isTrue();
        ENSEMBLE.restart(server);
        ENSEMBLE.awaitQuorum(ENSEMBLE.servers());
        await().atMost(PATIENCE).until(bed::anyLeads);
      }
      bed.awaitConnectedInSessions(PATIENCE, sessionA, sessionB);
      bed.awaitDecidedByLeader(PATIENCE);
      assertThat(pidsById(first.instances("rolling"))).isEqualTo(pidsById(before));
      assertThat(Processes.withMarker(marker)).hasSize(4);
      leaders.assertNeverTwoLeaders();
    }
    assertThat(bed.a.agent().registeredSession()).hasValue(sessionA);
    assertThat(bed.b.agent().registeredSession()).hasValue(sessionB);
    AssignmentLedger after = AssignmentLedger.read(bed.zk);
    assertThat(after.createdSince(ledger)).as("assignments created").isZero();
    assertThat(after.deletedSince(ledger)).as("assignments deleted").isZero();
    bed.invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(first, "rolling", marker);
  }

  @Test
  void losingTheQuorumPastTheSessionTimeoutKeepsCopiesRunningThenReplacesEachExactlyOnce() throws Exception {
    String marker = "3730002";
    bed.scenario.apply("quorum", 4, marker);
    List<Instance> before = awaitRunning(first, "quorum", 4);
    AssignmentLedger ledger = AssignmentLedger.read(bed.zk);
    InstanceSpec survivor = ENSEMBLE.servers().stream().filter(s -> !s.equals(ENSEMBLE.leader())).findFirst()
        .orElseThrow();
    List<InstanceSpec> lost = ENSEMBLE.servers().stream().filter(s -> !s.equals(survivor)).toList();

    try (LeaderSampler leaders = new LeaderSampler(List.of(first, second));
         ConnectionStates states = bed.connectionStates()) {
      for (InstanceSpec server : lost) {
        ENSEMBLE.kill(server);
      }
      await().atMost(PATIENCE).until(() -> !bed.anyLeads());
      // Past the session timeout every client gives its session up (LOST): the last thing an agent does about
      // its copies until the quorum is back. Nobody writes, and one ZooKeeper outage does not kill the fleet.
      states.awaitAll(ConnectionState.LOST, PATIENCE);
      assertThat(Processes.allAlive(before)).as("every copy runs after the agents gave their sessions up").isTrue();
      assertThat(bed.anyLeads()).as("a server leads without a quorum").isFalse();
      for (InstanceSpec server : lost) {
        ENSEMBLE.restart(server);
      }
      ENSEMBLE.awaitQuorum(ENSEMBLE.servers());

      // The agents gave their sessions up: they stop their old copies, which are replaced.
      await().atMost(PATIENCE).until(() -> {
        List<Instance> live = first.instances("quorum");
        return live.size() == 4 && Processes.allAlive(live) && Processes.noneAlive(pids(before));
      });
      List<Instance> replaced = first.instances("quorum");
      assertThat(ids(replaced)).doesNotContainAnyElementsOf(ids(before));
      // Decided with the replacements running: a second round of them would have been ordered in this decision.
      bed.awaitDecidedByLeader(PATIENCE);
      assertThat(ids(first.instances("quorum"))).isEqualTo(ids(replaced));
      assertThat(Processes.withMarker(marker)).hasSize(4);
      assertThat(AssignmentLedger.read(bed.zk).createdSince(ledger)).as("assignments created").isEqualTo(4);
      await().atMost(PATIENCE).untilAsserted(() -> {
        LeaderInfo one = first.leader();
        LeaderInfo two = second.leader();
        assertThat(one.isLeader() ^ two.isLeader()).as("exactly one server leads").isTrue();
        assertThat(one.leader()).isPresent().isEqualTo(two.leader());
      });
      leaders.assertNeverTwoLeaders();
    }
    bed.invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(first, "quorum", marker);
  }
}
