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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults of a three-server ZooKeeper ensemble under two Shepherd servers and two agents. */
class EnsembleFaultsIT {
  /** Longer than the 4 s sessions of the servers and agents: their clients give their sessions up. */
  private static final Duration QUORUM_LOSS = Duration.ofSeconds(6);

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
        await().during(Duration.ofSeconds(1)).atMost(PATIENCE).until(() -> Processes.allAlive(before));
        ENSEMBLE.restart(server);
        ENSEMBLE.awaitQuorum(ENSEMBLE.servers());
        await().atMost(PATIENCE).until(bed::anyLeads);
      }
      await().during(Duration.ofSeconds(2)).atMost(PATIENCE).untilAsserted(() -> {
        assertThat(pidsById(first.instances("rolling"))).isEqualTo(pidsById(before));
        assertThat(Processes.withMarker(marker)).hasSize(4);
      });
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

    try (LeaderSampler leaders = new LeaderSampler(List.of(first, second))) {
      for (InstanceSpec server : lost) {
        ENSEMBLE.kill(server);
      }
      await().atMost(PATIENCE).until(() -> !bed.anyLeads());
      // Nobody writes, and one ZooKeeper outage does not kill the fleet.
      await().during(QUORUM_LOSS).atMost(QUORUM_LOSS.multipliedBy(3)).until(() ->
          Processes.allAlive(before) && !bed.anyLeads());
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
      await().during(Duration.ofSeconds(2)).atMost(PATIENCE).untilAsserted(() -> {
        assertThat(ids(first.instances("quorum"))).isEqualTo(ids(replaced));
        assertThat(Processes.withMarker(marker)).hasSize(4);
        assertThat(AssignmentLedger.read(bed.zk).createdSince(ledger)).as("assignments created").isEqualTo(4);
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
