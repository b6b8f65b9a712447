package io.shepherd.server.faults;

import static io.shepherd.server.faults.Copies.PATIENCE;
import static io.shepherd.server.faults.Copies.awaitNodes;
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
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
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
  private Scenario scenario;
  private CuratorFramework zk;
  private Invariants invariants;
  private TestAgent a;
  private TestAgent b;

  @BeforeEach
  void setUp() throws Exception {
    scenario = new Scenario(first);
    // A patient client of its own: it must not give up its session while ZooKeeper is down.
    zk = scenario.track(CuratorFrameworkFactory.newClient(ZK.connectString(), 30_000, 5_000,
        new ExponentialBackoffRetry(100, 10, 1_000)));
    zk.start();
    invariants = scenario.track(new Invariants(ZK.connectString()));
    a = scenario.track(new TestAgent(ZK.connectString(), "a"));
    b = scenario.track(new TestAgent(ZK.connectString(), "b"));
    awaitNodes(first, "a", "b");
  }

  @AfterEach
  void tearDown() throws Exception {
    scenario.close();
  }

  private boolean anyLeads() throws Exception {
    return first.leader().isLeader() || second.leader().isLeader();
  }

  /** Stops ZooKeeper until no server leads, runs {@code meanwhile}, and starts it again. */
  private void outage(ThrowingRunnable meanwhile) throws Exception {
    ZK.server().stop();
    try {
      // Not sure it leads, so it does not: spawning pauses while the connection is suspended.
      await().atMost(Duration.ofSeconds(2)).until(() -> !anyLeads());
      meanwhile.run();
    } finally {
      ZK.server().restart();
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void awaitLeaderAndSessions(long sessionA, long sessionB) {
    await().atMost(PATIENCE).until(() -> anyLeads()
        && a.client().getZookeeperClient().isConnected() && b.client().getZookeeperClient().isConnected());
    assertThat(a.agent().registeredSession()).hasValue(sessionA);
    assertThat(b.agent().registeredSession()).hasValue(sessionB);
  }

  @Test
  void zooKeeperRestartingWithinTheSessionTimeoutSeveralTimesReplacesNothingAndNeverYieldsTwoLeaders()
      throws Exception {
    String marker = "3720001";
    scenario.apply("churned", 4, marker);
    List<Instance> before = awaitRunning(first, "churned", 4);
    AssignmentLedger ledger = AssignmentLedger.read(zk);
    long sessionA = a.agent().registeredSession().orElseThrow();
    long sessionB = b.agent().registeredSession().orElseThrow();

    try (LeaderSampler leaders = new LeaderSampler(List.of(first, second))) {
      for (int i = 0; i < 3; i++) {
        outage(() -> await().during(OUTAGE).atMost(OUTAGE.multipliedBy(3)).until(() ->
            Processes.allAlive(before) && !anyLeads()));
        awaitLeaderAndSessions(sessionA, sessionB);
      }
      await().during(Duration.ofSeconds(2)).atMost(PATIENCE).untilAsserted(() -> {
        assertThat(pidsById(first.instances("churned"))).isEqualTo(pidsById(before));
        assertThat(Processes.withMarker(marker)).hasSize(4);
      });
      leaders.assertNeverTwoLeaders();
    }
    AssignmentLedger after = AssignmentLedger.read(zk);
    assertThat(after.createdSince(ledger)).as("assignments created").isZero();
    assertThat(after.deletedSince(ledger)).as("assignments deleted").isZero();
    invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(first, "churned", marker);
  }

  @Test
  void aCopyKilledWhileZooKeeperIsDownIsReplacedExactlyOnceWhenItIsBack() throws Exception {
    String marker = "3720002";
    scenario.apply("orphaned", 3, marker);
    List<Instance> before = awaitRunning(first, "orphaned", 3);
    Instance victim = before.get(0);
    List<Instance> survivors = before.subList(1, 3);
    AssignmentLedger ledger = AssignmentLedger.read(zk);

    outage(() -> {
      Processes.sigkill(victim.pid());
      // Nobody can record the exit, and nobody replaces the copy while no one leads.
      await().during(OUTAGE).atMost(OUTAGE.multipliedBy(3)).until(() ->
          !Processes.alive(victim.pid()) && Processes.allAlive(survivors) && !anyLeads()
              && Processes.withMarker(marker).size() == 2);
    });

    await().atMost(PATIENCE).until(() -> {
      List<Instance> live = first.instances("orphaned");
      return live.size() == 3 && !ids(live).contains(victim.id()) && Processes.allAlive(live);
    });
    await().during(Duration.ofSeconds(2)).atMost(PATIENCE).untilAsserted(() -> {
      assertThat(first.instances("orphaned")).hasSize(3).extracting(Instance::pid).containsAll(pids(survivors));
      assertThat(Processes.withMarker(marker)).hasSize(3);
      assertThat(AssignmentLedger.read(zk).createdSince(ledger)).as("assignments created").isEqualTo(1);
    });
    invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(first, "orphaned", marker);
  }

  @Test
  void stopPolicyCopiesAreStoppedWhenTheirAgentLosesZooKeeperAndKeepRunningCopiesAreNot() throws Exception {
    String carefulMarker = "3720003";
    String keenMarker = "3720004";
    scenario.apply("careful", Copies.sleeping(2, carefulMarker).withPartitionPolicy(PartitionPolicy.STOP),
        carefulMarker);
    scenario.apply("keen", Copies.sleeping(2, keenMarker).withPartitionPolicy(PartitionPolicy.KEEP_RUNNING),
        keenMarker);
    List<Instance> careful = awaitRunning(first, "careful", 2);
    List<Instance> keen = awaitRunning(first, "keen", 2);
    AssignmentLedger ledger = AssignmentLedger.read(zk);

    // Before the server could expire the agents' sessions: at most N copies of a STOP replica set ever run.
    outage(() -> await().atMost(Duration.ofMillis(2_500)).until(() ->
        Processes.noneAlive(pids(careful)) && Processes.allAlive(keen)));

    List<Instance> replaced = awaitRunning(first, "careful", 2);
    assertThat(ids(replaced)).doesNotContainAnyElementsOf(ids(careful));
    await().during(Duration.ofSeconds(2)).atMost(PATIENCE).untilAsserted(() -> {
      assertThat(pidsById(first.instances("keen"))).isEqualTo(pidsById(keen));
      assertThat(Processes.withMarker(keenMarker)).hasSize(2);
      assertThat(Processes.withMarker(carefulMarker)).hasSize(2);
      assertThat(AssignmentLedger.read(zk).createdSince(ledger)).as("assignments created").isEqualTo(2);
    });
    invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(first, "careful", carefulMarker);
    deleteAndAwaitGone(first, "keen", keenMarker);
  }
}
