package io.shepherd.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.RestartPolicy;
import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.server.controller.CommitHook;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ConfiguredAgent;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZkHistory;
import io.shepherd.server.testing.ZkHistory.Created;
import io.shepherd.server.testing.ZkHistory.StatusWrite;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A copy that exits at once is restarted on an exponential backoff up to a cap; the backoff state lives in
 * ZooKeeper and survives a leader failover; it resets once a copy stays up. Real processes: {@code sh} exits 3 while
 * a marker file exists and otherwise becomes a long {@code sleep}.
 *
 * <p>Timing is only ever asserted in the direction the policy guarantees: a spawn never comes before the stored
 * {@code nextSpawnAt}, the stored wait never exceeds the policy's backoff, a reset never comes before
 * {@code resetAfterMs} of uptime. Each comparison is between times of one clock: the leader's (the spawns' and the
 * decisions' times, {@code nextSpawnAt}) or, for the uptime, the leader's against the copy's {@code startedAt},
 * the comparison the leader itself makes. ZooKeeper's mtimes, of another clock and truncated to the millisecond,
 * only order events.
 */
class CrashLoopIT {
  /** minUptime 500 ms, backoffs 0, 200, 400, 800, then 1000 ms (the cap); reset after 1 s up. */
  private static final CrashLoopPolicy FAST = new CrashLoopPolicy(500L, 200L, 1_000L, 1_000L);
  /** The clock the leader decides by (ShepherdApplication's). */
  private static final Clock LEADER_CLOCK = Clock.systemUTC();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension FIRST = new ServerExtension(ZK::connectString);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  private ConfiguredAgent agent;
  private Invariants invariants;
  private ZkHistory history;
  private Path marker;
  private final List<Decision> decisions = new CopyOnWriteArrayList<>();

  /**
   * A crash-loop state a leader decided to store, and the leader's clock read between that decision and its
   * commit: no earlier than the {@code now} the decision was made at.
   */
  private record Decision(String replicaSet, CrashLoopState state, Instant decidedBy) {}

  @BeforeEach
  void setUp() throws Exception {
    FIRST.start(); // a failover test stopped one
    SECOND.start();
    for (ServerExtension server : List.of(FIRST, SECOND)) {
      server.commitHook().set(plan -> plan.crashLoop().ifPresent(state ->
          decisions.add(new Decision(plan.replicaSet(), state, LEADER_CLOCK.instant()))));
    }
    invariants = new Invariants(ZK.connectString());
    history = new ZkHistory(ZK.connectString());
    agent = ConfiguredAgent.builder(ZK.connectString(), "n1").start();
    marker = Files.createTempDirectory("shepherd-crashloop").resolve("crash");
    Files.createFile(marker);
    await().atMost(Duration.ofSeconds(30)).until(() -> leader().isPresent()
        && new Api(leader().get().baseUrl()).nodes().size() == 1);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (ServerExtension server : List.of(FIRST, SECOND)) {
      server.commitHook().set(CommitHook.NONE);
    }
    agent.close();
    history.close();
    invariants.close();
    Files.deleteIfExists(marker);
  }

  /** The server that leads; a stopped server keeps its closed application, which does not lead. */
  private static Optional<ServerExtension> leader() {
    return List.of(FIRST, SECOND).stream().filter(s -> s.application().controller().isLeader()).findFirst();
  }

  /** The leader's API; callers have waited for a leader. */
  private static Api api() {
    return new Api(leader().orElseThrow().baseUrl());
  }

  /**
   * Exits 3 while the marker exists, else runs; {@code sleepMarker} tells this test's processes apart. Without
   * restarts in place ({@code restart.localAttempts: 0}): every exit goes to the leader, whose backoff these tests
   * look at. {@link #aCrashLoopingCopyIsFirstRestartedInPlaceThenGivenBackAndRescheduled} looks at both together.
   */
  private ReplicaSetSpec crashing(String sleepMarker, CrashLoopPolicy policy) {
    return ReplicaSetSpec.of(1, List.of("sh", "-c", "test -e '" + marker + "' && exit 3; exec sleep " + sleepMarker))
        .withStopGraceMs(500).withCrashLoop(policy).withRestart(new RestartPolicy(0, null));
  }

  @Test
  void aCrashLoopingCopyIsFirstRestartedInPlaceThenGivenBackAndRescheduled() throws Exception {
    api().apply("local", crashing("3934", FAST).withRestart(new RestartPolicy(2, null)));

    await().atMost(Duration.ofSeconds(60)).until(() -> history.created("local").size() >= 2);

    Created first = history.created("local").get(0);
    assertThat(history.restartsSeen(first.assignment().instanceId()))
        .as("restarted in place by its agent localAttempts times before it was given back").isEqualTo(2);
    assertThat(history.registered("local")).as("one registration per start of the first copy, under one id")
        .startsWith(first.assignment().instanceId());
    await().atMost(Duration.ofSeconds(30)).until(() -> !failures("local").isEmpty());
    assertThat(failures("local").get(0).state().consecutiveFailures())
        .as("the give-back is one crash for the leader").isEqualTo(1);

    Files.delete(marker);
    invariants.awaitConverged(Duration.ofSeconds(30));
    deleteAndAwaitGone("local", "3934");
  }

  /** When, by the leader's clock, the state of {@code write} had been decided (the last decision of that state). */
  private Instant decidedBy(StatusWrite write) {
    return decisions.stream()
        .filter(d -> d.replicaSet().equals(write.replicaSet()) && d.state().equals(write.state()))
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no decision recorded for " + write))
        .decidedBy();
  }

  private List<StatusWrite> failures(String name) {
    return history.statusWrites(name).stream().filter(s -> s.state().consecutiveFailures() > 0).toList();
  }

  @Test
  void aCopyThatExitsAtOnceIsRestartedOnABackoffThatGrowsToTheCap() throws Exception {
    List<ReplicaSetStatus> seen = new ArrayList<>();
    api().apply("crasher", crashing("3931", FAST));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
      api().get("crasher").ifPresent(seen::add);
      return failures("crasher").size() >= 6;
    });

    // Through the REST status: the count and the next spawn time only ever grow.
    assertThat(seen).extracting(ReplicaSetStatus::consecutiveFailures).isSorted();
    assertThat(seen.stream().flatMap(s -> s.nextSpawnAt().stream()).toList()).isSorted();
    assertThat(seen).anySatisfy(s -> assertThat(s.consecutiveFailures()).isGreaterThanOrEqualTo(2));
    assertThat(seen).anySatisfy(s -> assertThat(s.nextSpawnAt()).isPresent());

    // In ZooKeeper: one failure at a time, each wait as the policy says and never above the cap.
    List<StatusWrite> writes = failures("crasher");
    for (int i = 0; i < writes.size(); i++) {
      StatusWrite w = writes.get(i);
      int n = w.state().consecutiveFailures();
      assertThat(n).as("failure count of write %d", i).isEqualTo(i + 1);
      assertThat(w.state().nextSpawnAt().isPresent()).as("a wait after failure %d", n).isEqualTo(n >= 2);
      w.state().nextSpawnAt().ifPresent(next -> assertThat(Duration.between(decidedBy(w), next))
          .as("the wait after failure %d (from no earlier than the leader's decision, by its clock)", n)
          .isLessThanOrEqualTo(Duration.ofMillis(FAST.backoffMs(n))));
      if (i > 0 && n >= 2) {
        assertThat(w.state().nextSpawnAt().orElseThrow()).isAfter(writes.get(i - 1).state().nextSpawnAt()
            .orElse(Instant.EPOCH));
      }
    }
    assertThat(FAST.backoffMs(6)).as("the policy's cap is reached in this test").isEqualTo(FAST.maxBackoffMs());
    assertSpawnsHonourTheBackoff("crasher", FAST);

    Files.delete(marker);
    invariants.awaitConverged(Duration.ofSeconds(30));
    deleteAndAwaitGone("crasher", "3931");
  }

  @Test
  void theBackoffStateSurvivesALeaderFailover() throws Exception {
    // Waits of 2, then 4 s (the cap): the leader is stopped early in the first 4 s wait, so its successor takes over
    // mid-backoff. The cap keeps the wait after the successor's first failure, which the test waits out, at 4 s too.
    CrashLoopPolicy slow = new CrashLoopPolicy(500L, 2_000L, 4_000L, 1_000L);
    api().apply("survivor", crashing("3932", slow));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
      List<StatusWrite> w = failures("survivor");
      return !w.isEmpty() && w.get(w.size() - 1).state().consecutiveFailures() >= 3
          && w.get(w.size() - 1).state().nextSpawnAt().orElseThrow().isAfter(Instant.now().plusMillis(3_000));
    });
    StatusWrite atFailover = failures("survivor").get(failures("survivor").size() - 1);
    Instant nextSpawnAt = atFailover.state().nextSpawnAt().orElseThrow();
    ServerExtension old = leader().orElseThrow();
    long oldEpoch = old.application().controller().fence().orElseThrow().epoch();
    ServerExtension standby = old == FIRST ? SECOND : FIRST;

    old.stop();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> standby.application().controller().isLeader());
    Instant tookOverBy = Instant.now();
    long newEpoch = standby.application().controller().fence().orElseThrow().epoch();
    assertThat(tookOverBy).as("the successor took over during the backoff").isBefore(nextSpawnAt);

    // The successor's first spawn waits for the stored time, and the count goes on from where it was.
    await().atMost(Duration.ofSeconds(30)).until(() -> history.created("survivor").stream()
        .anyMatch(c -> c.assignment().epoch() == newEpoch));
    Created first = history.created("survivor").stream().filter(c -> c.assignment().epoch() == newEpoch)
        .findFirst().orElseThrow();
    assertThat(first.assignment().createdAt()).isAfterOrEqualTo(nextSpawnAt);
    assertThat(newEpoch).isGreaterThan(oldEpoch);
    int before = atFailover.state().consecutiveFailures();
    await().atMost(Duration.ofSeconds(30)).until(() -> failures("survivor").stream()
        .anyMatch(w -> w.mzxid() > first.czxid()));
    assertThat(failures("survivor").stream().filter(w -> w.mzxid() > first.czxid()).findFirst().orElseThrow()
        .state().consecutiveFailures()).as("the count after the failover").isEqualTo(before + 1);
    assertSpawnsHonourTheBackoff("survivor", slow);

    Files.delete(marker);
    invariants.awaitConverged(Duration.ofSeconds(30));
    deleteAndAwaitGone("survivor", "3932");
  }

  @Test
  void theFailureCountResetsOnceACopyStaysUpForResetAfter() throws Exception {
    api().apply("resetter", crashing("3933", FAST));
    await().atMost(Duration.ofSeconds(60)).until(() -> failures("resetter").size() >= 3);

    Files.delete(marker);
    await().atMost(Duration.ofSeconds(30)).until(() -> api().get("resetter").orElseThrow().consecutiveFailures() == 0);
    ReplicaSetStatus healthy = api().get("resetter").orElseThrow();
    assertThat(healthy.nextSpawnAt()).isEmpty();
    assertThat(healthy.instances()).hasSize(1);
    Instance survivor = healthy.instances().get(0);
    StatusWrite reset = history.statusWrites("resetter").get(history.statusWrites("resetter").size() - 1);
    assertThat(reset.state().consecutiveFailures()).isZero();
    assertThat(decidedBy(reset)).as("reset (decided by the leader's clock) only after the copy stayed up for "
        + "resetAfterMs").isAfterOrEqualTo(survivor.startedAt().plusMillis(FAST.resetAfterMs()));

    // After the reset, a crash counts from one again: replaced at once, no wait.
    Files.createFile(marker);
    Processes.sigkill(survivor.pid()); // lived well past minUptime: not a crash itself
    await().atMost(Duration.ofSeconds(30)).until(() -> history.statusWrites("resetter").stream()
        .anyMatch(w -> w.mzxid() > reset.mzxid() && w.state().consecutiveFailures() > 0));
    StatusWrite again = history.statusWrites("resetter").stream()
        .filter(w -> w.mzxid() > reset.mzxid() && w.state().consecutiveFailures() > 0).findFirst().orElseThrow();
    assertThat(again.state().consecutiveFailures()).isEqualTo(1);
    assertThat(again.state().nextSpawnAt()).isEmpty();

    Files.delete(marker);
    invariants.awaitConverged(Duration.ofSeconds(30));
    deleteAndAwaitGone("resetter", "3933");
  }

  /**
   * Every spawn came at or after the {@code nextSpawnAt} in force when it was created, so the gap between two
   * spawns is at least the backoff of the failure between them.
   */
  private void assertSpawnsHonourTheBackoff(String name, CrashLoopPolicy policy) {
    List<Created> spawns = history.created(name);
    List<StatusWrite> writes = history.statusWrites(name);
    for (int i = 1; i < spawns.size(); i++) {
      Created previous = spawns.get(i - 1);
      Created spawn = spawns.get(i);
      Optional<StatusWrite> inForce = writes.stream().filter(w -> w.mzxid() <= spawn.czxid())
          .reduce((a, b) -> b);
      if (inForce.isEmpty() || inForce.get().mzxid() < previous.czxid()) {
        continue; // no failure between these two spawns
      }
      int n = inForce.get().state().consecutiveFailures();
      int index = i;
      inForce.get().state().nextSpawnAt().ifPresent(next -> assertThat(spawn.assignment().createdAt())
          .as("spawn %d after failure %d", index, n).isAfterOrEqualTo(next));
      assertThat(Duration.between(previous.assignment().createdAt(), spawn.assignment().createdAt()))
          .as("gap before spawn %d, after failure %d", i, n)
          .isGreaterThanOrEqualTo(Duration.ofMillis(policy.backoffMs(n)));
    }
  }

  private void deleteAndAwaitGone(String name, String sleepMarker) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> leader().isPresent());
    api().delete(name);
    await().atMost(Duration.ofSeconds(20)).until(() -> api().get(name).isEmpty()
        && Processes.countDescendantsWith("sleep " + sleepMarker) == 0);
  }
}
