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
import io.shepherd.api.PartitionPolicy;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ZooKeeper stops and comes back within the session timeout (4 s), as a restart or a short network fault would:
 * sessions survive, so nobody's copies are replaced. Two servers, two agents.
 */
class ZooKeeperChurnIT {
  /** Well within the 4 s sessions, outage detection included. */
  private static final Duration OUTAGE = Duration.ofMillis(1_200);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension FIRST = new ServerExtension(ZK::connectString);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  private final Api first = new Api(FIRST.baseUrl());
  private final Api second = new Api(SECOND.baseUrl());
  private TwoAgentBed bed;

  @BeforeEach
  void setUp() throws Exception {
    bed = TwoAgentBed.start(ZK.connectString(), first, second);
  }

  @AfterEach
  void tearDown() throws Exception {
    bed.close();
  }

  /** Stops ZooKeeper until no server leads, runs {@code meanwhile}, and starts it again. */
  private void outage(ThrowingRunnable meanwhile) throws Exception {
    ZK.server().stop();
    try {
      // Not sure it leads, so it does not: spawning pauses while the connection is suspended.
      await().atMost(Duration.ofSeconds(2)).until(() -> !bed.anyLeads());
      meanwhile.run();
    } finally {
      ZK.server().restart();
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void awaitLeaderAndSessions(long sessionA, long sessionB) {
    await().atMost(PATIENCE).until(() -> bed.anyLeads()
        && bed.a.client().getZookeeperClient().isConnected() && bed.b.client().getZookeeperClient().isConnected());
    assertThat(bed.a.agent().registeredSession()).hasValue(sessionA);
    assertThat(bed.b.agent().registeredSession()).hasValue(sessionB);
  }

  @Test
  void zooKeeperRestartingWithinTheSessionTimeoutSeveralTimesReplacesNothingAndNeverYieldsTwoLeaders()
      throws Exception {
    String marker = "3720001";
    bed.scenario.apply("churned", 4, marker);
    List<Instance> before = awaitRunning(first, "churned", 4);
    AssignmentLedger ledger = AssignmentLedger.read(bed.zk);
    long sessionA = bed.a.agent().registeredSession().orElseThrow();
    long sessionB = bed.b.agent().registeredSession().orElseThrow();

    try (LeaderSampler leaders = new LeaderSampler(List.of(first, second))) {
      for (int i = 0; i < 3; i++) {
        outage(() -> await().during(OUTAGE).atMost(OUTAGE.multipliedBy(3)).until(() ->
            Processes.allAlive(before) && !bed.anyLeads()));
        awaitLeaderAndSessions(sessionA, sessionB);
      }
      await().during(Duration.ofSeconds(2)).atMost(PATIENCE).untilAsserted(() -> {
        assertThat(pidsById(first.instances("churned"))).isEqualTo(pidsById(before));
        assertThat(Processes.withMarker(marker)).hasSize(4);
      });
      leaders.assertNeverTwoLeaders();
    }
    AssignmentLedger after = AssignmentLedger.read(bed.zk);
    assertThat(after.createdSince(ledger)).as("assignments created").isZero();
    assertThat(after.deletedSince(ledger)).as("assignments deleted").isZero();
    bed.invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(first, "churned", marker);
  }

  @Test
  void aCopyKilledWhileZooKeeperIsDownIsReplacedExactlyOnceWhenItIsBack() throws Exception {
    String marker = "3720002";
    bed.scenario.apply("orphaned", 3, marker);
    List<Instance> before = awaitRunning(first, "orphaned", 3);
    Instance victim = before.get(0);
    List<Instance> survivors = before.subList(1, 3);
    AssignmentLedger ledger = AssignmentLedger.read(bed.zk);

    outage(() -> {
      Processes.sigkill(victim.pid());
      // Nobody can record the exit, and nobody replaces the copy while no one leads.
      await().during(OUTAGE).atMost(OUTAGE.multipliedBy(3)).until(() ->
          !Processes.alive(victim.pid()) && Processes.allAlive(survivors) && !bed.anyLeads()
              && Processes.withMarker(marker).size() == 2);
    });

    await().atMost(PATIENCE).until(() -> {
      List<Instance> live = first.instances("orphaned");
      return live.size() == 3 && !ids(live).contains(victim.id()) && Processes.allAlive(live);
    });
    await().during(Duration.ofSeconds(2)).atMost(PATIENCE).untilAsserted(() -> {
      assertThat(first.instances("orphaned")).hasSize(3).extracting(Instance::pid).containsAll(pids(survivors));
      assertThat(Processes.withMarker(marker)).hasSize(3);
      assertThat(AssignmentLedger.read(bed.zk).createdSince(ledger)).as("assignments created").isEqualTo(1);
    });
    bed.invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(first, "orphaned", marker);
  }

  @Test
  void stopPolicyCopiesAreStoppedWhenTheirAgentLosesZooKeeperAndKeepRunningCopiesAreNot() throws Exception {
    String carefulMarker = "3720003";
    String keenMarker = "3720004";
    bed.scenario.apply("careful", Copies.sleeping(2, carefulMarker).withPartitionPolicy(PartitionPolicy.STOP),
        carefulMarker);
    bed.scenario.apply("keen", Copies.sleeping(2, keenMarker).withPartitionPolicy(PartitionPolicy.KEEP_RUNNING),
        keenMarker);
    List<Instance> careful = awaitRunning(first, "careful", 2);
    List<Instance> keen = awaitRunning(first, "keen", 2);
    AssignmentLedger ledger = AssignmentLedger.read(bed.zk);

    // Before the server could expire the agents' sessions: at most N copies of a STOP replica set ever run.
    outage(() -> await().atMost(Duration.ofMillis(2_500)).until(() ->
        Processes.noneAlive(pids(careful)) && Processes.allAlive(keen)));

    List<Instance> replaced = awaitRunning(first, "careful", 2);
    assertThat(ids(replaced)).doesNotContainAnyElementsOf(ids(careful));
    await().during(Duration.ofSeconds(2)).atMost(PATIENCE).untilAsserted(() -> {
      assertThat(pidsById(first.instances("keen"))).isEqualTo(pidsById(keen));
      assertThat(Processes.withMarker(keenMarker)).hasSize(2);
      assertThat(Processes.withMarker(carefulMarker)).hasSize(2);
      assertThat(AssignmentLedger.read(bed.zk).createdSince(ledger)).as("assignments created").isEqualTo(2);
    });
    bed.invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(first, "careful", carefulMarker);
    deleteAndAwaitGone(first, "keen", keenMarker);
  }
}
