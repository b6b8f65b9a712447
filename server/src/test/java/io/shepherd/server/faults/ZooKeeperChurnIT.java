package io.shepherd.server.faults;

import static io.shepherd.server.faults.Copies.PATIENCE;
import static io.shepherd.server.faults.Copies.SESSION_TIMEOUT;
import static io.shepherd.server.faults.Copies.awaitRunning;
import static io.shepherd.server.faults.Copies.deleteAndAwaitGone;
import static io.shepherd.server.faults.Copies.ids;
import static io.shepherd.server.faults.Copies.pids;
import static io.shepherd.server.faults.Copies.pidsById;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.PartitionPolicy;
import io.shepherd.api.RestartPolicy;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ZooKeeper stops and comes back within the session timeout (4 s), as a restart or a short network fault would:
 * sessions survive, so nobody's copies are replaced. Two servers, two agents.
 *
 * <p>An outage lasts only as long as the events it waits for (every client saw ZooKeeper go; the copies that were
 * to stop stopped): any fixed wait inside it adds to an outage that must end within the session timeout, and on a
 * slow machine that turns into lost sessions, agents stopping every copy, and a test that fails for its own sake.
 */
class ZooKeeperChurnIT {
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
    bed = TwoAgentBed.start(ZK.connectString(), FIRST, SECOND);
  }

  @AfterEach
  void tearDown() throws Exception {
    bed.close();
  }

  /**
   * Stops ZooKeeper, waits until both servers and both agents have seen it go (SUSPENDED) and no server leads,
   * runs {@code meanwhile}, and starts ZooKeeper again at once.
   */
  private void outage(ThrowingRunnable meanwhile) throws Exception {
    try (ConnectionStates states = bed.connectionStates()) {
      ZK.server().stop();
      try {
        states.awaitAll(ConnectionState.SUSPENDED, SESSION_TIMEOUT);
        // Not sure it leads, so it does not: spawning pauses while the connection is suspended.
        await().atMost(SESSION_TIMEOUT).until(() -> !bed.anyLeads());
        meanwhile.run();
      } finally {
        ZK.server().restart();
      }
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** The processes' exits, as events; fails if one of them still runs after {@code atMost}. */
  private static void awaitExits(List<Long> pids, Duration atMost) throws Exception {
    CompletableFuture.allOf(pids.stream().map(pid -> ProcessHandle.of(pid)
            .map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null)))
        .toArray(CompletableFuture[]::new)).get(atMost.toMillis(), TimeUnit.MILLISECONDS);
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
        outage(() -> assertThat(Processes.allAlive(before)).as("every copy runs while ZooKeeper is away").isTrue());
        bed.awaitConnectedInSessions(PATIENCE, sessionA, sessionB);
      }
      // The leader has decided with everything back: whatever it would replace, it has ordered by now.
      bed.awaitDecidedByLeader(PATIENCE);
      assertThat(pidsById(first.instances("churned"))).isEqualTo(pidsById(before));
      assertThat(Processes.withMarker(marker)).hasSize(4);
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
    // Without restarts in place: the copy that dies during the outage is the leader's to replace, what this watches.
    bed.scenario.apply("orphaned", Copies.sleeping(3, marker).withRestart(new RestartPolicy(0, null)), marker);
    List<Instance> before = awaitRunning(first, "orphaned", 3);
    Instance victim = before.get(0);
    List<Instance> survivors = before.subList(1, 3);
    AssignmentLedger ledger = AssignmentLedger.read(bed.zk);
    long sessionA = bed.a.agent().registeredSession().orElseThrow();
    long sessionB = bed.b.agent().registeredSession().orElseThrow();

    outage(() -> {
      Processes.sigkill(victim.pid());
      awaitExits(List.of(victim.pid()), SESSION_TIMEOUT);
      // Nobody can record the exit, and nobody replaces the copy while no one leads.
      assertThat(Processes.allAlive(survivors)).as("the survivors run").isTrue();
      assertThat(Processes.withMarker(marker)).hasSize(2);
      assertThat(bed.anyLeads()).as("a server leads").isFalse();
    });
    bed.awaitConnectedInSessions(PATIENCE, sessionA, sessionB);

    await().atMost(PATIENCE).until(() -> {
      List<Instance> live = first.instances("orphaned");
      return live.size() == 3 && !ids(live).contains(victim.id()) && Processes.allAlive(live);
    });
    // Decided with the replacement running: a second one would have been ordered in this decision.
    bed.awaitDecidedByLeader(PATIENCE);
    assertThat(first.instances("orphaned")).hasSize(3).extracting(Instance::pid).containsAll(pids(survivors));
    assertThat(Processes.withMarker(marker)).hasSize(3);
    assertThat(AssignmentLedger.read(bed.zk).createdSince(ledger)).as("assignments created").isEqualTo(1);
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
    long sessionA = bed.a.agent().registeredSession().orElseThrow();
    long sessionB = bed.b.agent().registeredSession().orElseThrow();

    outage(() -> {
      // Before the server could expire the agents' sessions: at most N copies of a STOP replica set ever run.
      awaitExits(pids(careful), SESSION_TIMEOUT);
      // The agents stopped those on the suspension, in the same pass over their copies as these.
      assertThat(Processes.allAlive(keen)).as("the KEEP_RUNNING copies run").isTrue();
    });
    // The premise: back within the session timeout, the agents kept their sessions (and so their other copies).
    bed.awaitConnectedInSessions(PATIENCE, sessionA, sessionB);

    List<Instance> replaced = awaitRunning(first, "careful", 2);
    assertThat(ids(replaced)).doesNotContainAnyElementsOf(ids(careful));
    // Decided with the replacements running: anything more it would start or stop, it has ordered by now.
    bed.awaitDecidedByLeader(PATIENCE);
    assertThat(pidsById(first.instances("keen"))).isEqualTo(pidsById(keen));
    assertThat(Processes.withMarker(keenMarker)).hasSize(2);
    assertThat(Processes.withMarker(carefulMarker)).hasSize(2);
    assertThat(AssignmentLedger.read(bed.zk).createdSince(ledger)).as("assignments created").isEqualTo(2);
    bed.invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(first, "careful", carefulMarker);
    deleteAndAwaitGone(first, "keen", keenMarker);
  }
}
