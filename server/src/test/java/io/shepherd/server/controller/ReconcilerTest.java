package io.shepherd.server.controller;

import static io.shepherd.server.controller.ReplicaSetFixture.NOW;
import static io.shepherd.server.controller.ReplicaSetFixture.replicaSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.worker.record.AssignmentRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReconcilerTest {
  private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration LONG = Duration.ofHours(1);
  private static final Duration SHORT = Duration.ofSeconds(1);
  /** minUptime 5 s, initialBackoff 2 s, maxBackoff 10 s, resetAfter 60 s. */
  private static final CrashLoopPolicy POLICY = new CrashLoopPolicy(5_000L, 2_000L, 10_000L, 60_000L);

  private final Reconciler reconciler = new Reconciler(LAUNCH_TIMEOUT);

  // ---- what a reconcile starts, stops and cleans up -------------------------------------------------------------

  /** A replica set as it stands, and the copies the plan must start (node ids), stop and clean up (instance ids). */
  record Row(String behaviour, ReplicaSetFixture given, List<String> startOn, List<String> stop, List<String> cleanUp) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Row> startsStopsAndCleansUp() {
    return Stream.of(
        new Row("an exited copy (given back by its agent) gets exactly one replacement, on another node, and its "
            + "assignment is cleaned up",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).exited("r2", "b", LONG),
            List.of("a"), List.of(), List.of("r2")),
        new Row("a copy given back goes to another node even one with fewer copies of the set elsewhere",
            replicaSet(2).node("a", 10).node("b", 10).node("c", 10).running("r1", "a", LONG).exited("r2", "b", LONG),
            List.of("c"), List.of(), List.of("r2")),
        new Row("a copy its own agent stopped was not given back: its node is not avoided",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).stoppedByItsAgent("r2", "b", LONG),
            List.of("b"), List.of(), List.of("r2")),
        new Row("a running copy a user asked to stop gets exactly one replacement and its assignment is deleted, so "
            + "its agent stops it",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).stopRequested("r2", "b", LONG, "erin"),
            List.of("b"), List.of(), List.of("r2")),
        new Row("a copy waiting out its backoff in place is pending: nothing starts, nothing is cleaned up",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).backoff("r2", "b", SHORT),
            List.of(), List.of(), List.of()),
        new Row("a copy in backoff is not held to the launch timeout while its next start is in the future",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).backoff("r2", "b", LONG),
            List.of(), List.of(), List.of()),
        new Row("a copy in backoff is still pending a launch timeout after its next start",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG)
                .backoff("r2", "b", LAUNCH_TIMEOUT.minusMillis(1).negated()),
            List.of(), List.of(), List.of()),
        new Row("a copy in backoff not started a launch timeout after its next start is dead and replaced",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG)
                .backoff("r2", "b", LAUNCH_TIMEOUT.negated()),
            List.of("b"), List.of(), List.of("r2")),
        new Row("a copy in backoff on a node that is gone is dead and replaced",
            replicaSet(2).node("a", 10).running("r1", "a", LONG).backoff("r2", "b", SHORT),
            List.of("a"), List.of(), List.of("r2")),
        new Row("a RUNNING copy without its instance gets exactly one replacement and is cleaned up",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).lost("r2", "b", LONG),
            List.of("b"), List.of(), List.of("r2")),
        new Row("a copy RUNNING only a moment without its instance is dead and replaced: the view applies a"
            + " registration whole, so its session ended",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG)
                .runningWithoutInstance("r2", "b", Duration.ofMillis(1)),
            List.of("b"), List.of(), List.of("r2")),
        new Row("an exited copy whose instance is still registered is replaced all the same, on another node",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).exited("r2", "b", LONG)
                .lingeringInstance("r2", "b"),
            List.of("a"), List.of(), List.of("r2")),
        new Row("an instance without an assignment (being stopped) does not count as live",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).stopping("r9", "b"),
            List.of("b"), List.of(), List.of()),
        new Row("a pending assignment older than the launch timeout is cleaned up and replaced",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG)
                .pending("p2", "b", LAUNCH_TIMEOUT.plusSeconds(1)),
            List.of("b"), List.of(), List.of("p2")),
        new Row("an ASSIGNED assignment on a node that is gone is cleaned up and replaced",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).pending("p2", "gone", SHORT),
            List.of("b"), List.of(), List.of("p2")),
        new Row("an ASSIGNED assignment on a node gone a moment ago (re-registering) is still pending",
            replicaSet(2).node("a", 10).running("r1", "a", LONG).pending("p2", "b", SHORT).nodeGoneAMomentAgo("b"),
            List.of(), List.of(), List.of()),
        new Row("no copy is placed on a node gone a moment ago",
            replicaSet(2).node("a", 10).nodeGoneAMomentAgo("b"),
            List.of("a", "a"), List.of(), List.of()),
        new Row("three copies on three empty nodes go one to each",
            replicaSet(3).node("a", 10).node("b", 10).node("c", 10),
            List.of("a", "b", "c"), List.of(), List.of()),
        new Row("a new copy goes to the node with fewest copies of this set, even if it is busier overall",
            replicaSet(3).node("a", 10).node("b", 10).node("c", 10, 5).running("r1", "a", LONG).running("r2", "b", LONG),
            List.of("c"), List.of(), List.of()),
        new Row("a new copy avoids a node where a copy of this set is on its way, even if that node is less busy",
            replicaSet(3).node("a", 10).node("b", 10).node("c", 10, 5).running("r1", "a", LONG)
                .pending("p2", "b", SHORT),
            List.of("c"), List.of(), List.of()),
        new Row("a full node gets nothing, counting the load of other replica sets",
            replicaSet(2).node("a", 2, 2).node("b", 2),
            List.of("b", "b"), List.of(), List.of()),
        new Row("a dead copy frees its slot for its replacement in the same plan",
            replicaSet(1).node("a", 1).exited("r1", "a", LONG),
            List.of("a"), List.of(), List.of("r1")),
        new Row("only nodes matching the node selector get copies",
            replicaSet(2).nodeSelector(Map.of("zone", "eu"))
                .labelledNode("a", Map.of("zone", "us")).labelledNode("b", Map.of("zone", "eu")),
            List.of("b", "b"), List.of(), List.of()),
        new Row("scale-down cancels the newest pending copy first",
            replicaSet(2).node("a", 10).node("b", 10).node("c", 10).running("r1", "a", SHORT)
                .pending("p2", "b", Duration.ofSeconds(10)).pending("p3", "c", Duration.ofSeconds(5)),
            List.of(), List.of("p3"), List.of()),
        new Row("scale-down stops the youngest running copies, never the oldest",
            replicaSet(1).node("a", 10).node("b", 10).node("c", 10).running("r1", "a", Duration.ofMinutes(10))
                .running("r2", "b", Duration.ofDays(3)).running("r3", "c", Duration.ofMinutes(1)),
            List.of(), List.of("r1", "r3"), List.of()),
        new Row("scale-down among copies started at the same moment stops the smallest id, whatever their order",
            replicaSet(1).node("a", 10).node("b", 10).running("r2", "a", LONG).running("r1", "b", LONG),
            List.of(), List.of("r1"), List.of()),
        new Row("scale-down stops unready copies before ready ones, even older unready ones",
            replicaSet(1).node("a", 10).node("b", 10).node("c", 10).running("r1", "a", LONG)
                .unready("u2", "b", Duration.ofDays(3)).running("r3", "c", SHORT),
            List.of(), List.of("u2", "r3"), List.of()),
        new Row("scale-down stops the youngest of the unready copies first",
            replicaSet(2).node("a", 10).node("b", 10).node("c", 10).running("r1", "a", LONG)
                .unready("u2", "b", Duration.ofDays(3)).unready("u3", "c", SHORT),
            List.of(), List.of("u3"), List.of()),
        new Row("scale-down cancels pending copies before it stops an unready one",
            replicaSet(1).node("a", 10).node("b", 10).node("c", 10).running("r1", "a", LONG)
                .unready("u2", "b", SHORT).pending("p3", "c", SHORT),
            List.of(), List.of("p3", "u2"), List.of()),
        new Row("scale-down cancels pending copies before it stops a running one",
            replicaSet(1).node("a", 10).node("b", 10).node("c", 10).running("r1", "a", LONG)
                .running("r2", "b", SHORT).pending("p3", "c", SHORT),
            List.of(), List.of("p3", "r2"), List.of()),
        new Row("a deleting replica set stops every copy and cleans up the dead ones",
            replicaSet(2).deleting().node("a", 10).node("b", 10).running("r1", "a", LONG)
                .pending("p2", "b", SHORT).exited("r3", "b", SHORT),
            List.of(), List.of("r1", "p2"), List.of("r3")),
        new Row("a deleting replica set is not removed while a copy is still on its way",
            replicaSet(2).deleting().node("a", 10).pending("p1", "a", SHORT),
            List.of(), List.of("p1"), List.of()),
        new Row("a whole replica set is left alone while the mass-loss breaker is open, and nothing is unschedulable",
            replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).running("r2", "b", LONG).breakerOpen(),
            List.of(), List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void startsStopsAndCleansUp(Row row) {
    Plan plan = reconcile(row.given());

    assertThat(plan.startOn()).as("nodes started on").containsExactlyInAnyOrderElementsOf(row.startOn());
    assertThat(ids(plan.stop())).as("copies stopped").containsExactlyInAnyOrderElementsOf(row.stop());
    assertThat(ids(plan.cleanUp())).as("assignments cleaned up").containsExactlyInAnyOrderElementsOf(row.cleanUp());
    assertThat(plan.unschedulable()).as("unschedulable").isEmpty();
    assertThat(plan.removeReplicaSet()).as("remove the replica set").isFalse();
  }

  @Test
  void whileTheMassLossBreakerIsOpenNothingStartsButDeadCopiesAreCleanedUp() {
    Plan plan = reconciler.reconcile(
        replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).exited("r2", "b", LONG).breakerOpen()
            .build(), NOW);
    assertThat(plan.startOn()).isEmpty();
    assertThat(plan.cleanUp()).extracting(AssignmentRecord::instanceId).containsExactly("r2");
    assertThat(plan.unschedulable()).hasValueSatisfying(u -> {
      assertThat(u.copies()).isEqualTo(1);
      assertThat(u.reason()).contains("mass-loss breaker");
    });
  }

  @Test
  void aReplicaSetInItsSteadyStateWritesNothing() {
    Plan plan = reconcile(replicaSet(2).node("a", 10).node("b", 10).running("r1", "a", LONG).running("r2", "b", LONG));

    assertThat(plan.writes()).isFalse();
    assertThat(plan.unschedulable()).isEmpty();
    assertThat(plan.requeueAfter()).isEmpty();
    assertThat(plan.replicaSet()).isEqualTo(ReplicaSetFixture.NAME);
    assertThat(plan.specVersion()).isEqualTo(ReplicaSetFixture.SPEC_VERSION);
  }

  @Test
  void pendingAssignmentsCoverTheDeficitSoNothingIsSpawned() {
    Plan plan = reconcile(replicaSet(3).node("a", 10).node("b", 10).node("c", 10)
        .running("r1", "a", LONG).pending("p2", "b", SHORT).pending("p3", "c", SHORT));

    assertThat(plan.writes()).isFalse();
    assertThat(plan.startOn()).isEmpty();
  }

  @Test
  void aPendingCopyCancelledByAScaleDownIsNotWaitedFor() {
    Plan plan = reconcile(replicaSet(1).node("a", 10).node("b", 10).running("r1", "a", LONG).pending("p2", "b", SHORT));

    assertThat(ids(plan.stop())).containsExactly("p2");
    assertThat(plan.requeueAfter()).as("requeueAfter").isEmpty();
  }

  @Test
  void aHealthyReplicaSetOfYoungCopiesIsNotLookedAtAgainUntilSomethingChanges() {
    Plan plan = reconcile(replicaSet(2).crashLoopPolicy(POLICY).node("a", 10).node("b", 10)
        .running("r1", "a", SHORT).running("r2", "b", SHORT));

    assertThat(plan.writes()).isFalse();
    assertThat(plan.requeueAfter()).as("requeueAfter").isEmpty();
  }

  @Test
  void requeueAfterPointsAtTheEarliestPendingExpiry() {
    Plan plan = reconcile(replicaSet(3).node("a", 10).node("b", 10).node("c", 10).running("r1", "a", LONG)
        .pending("p2", "b", Duration.ofSeconds(10)).pending("p3", "c", Duration.ofSeconds(20)));

    assertWakesAt(plan, NOW.minusSeconds(20).plus(LAUNCH_TIMEOUT));
  }

  // ---- unschedulable copies -------------------------------------------------------------------------------------

  @Test
  void withNoLiveNodeTheCopiesAreUnschedulableAndNothingStarts() {
    Plan plan = reconcile(replicaSet(2));

    assertThat(plan.startOn()).isEmpty();
    assertThat(plan.unschedulable()).contains(new Plan.Unschedulable(2, "no live node"));
  }

  @Test
  void aNodeSelectorNoNodeMatchesIsUnschedulableWithThatReason() {
    Plan plan = reconcile(replicaSet(2).nodeSelector(Map.of("zone", "eu")).labelledNode("a", Map.of("zone", "us")));

    assertThat(plan.startOn()).isEmpty();
    assertThat(plan.unschedulable()).hasValueSatisfying(u -> {
      assertThat(u.copies()).isEqualTo(2);
      assertThat(u.reason()).contains("nodeSelector").contains("zone=eu");
    });
  }

  @Test
  void copiesThatFitNowhereAreReportedAfterTheOthersArePlaced() {
    Plan plan = reconcile(replicaSet(3).node("a", 2));

    assertThat(plan.startOn()).containsExactly("a", "a");
    assertThat(plan.unschedulable()).contains(new Plan.Unschedulable(1, "every eligible node is full"));
  }

  // ---- deleting -------------------------------------------------------------------------------------------------

  @Test
  void aDeletedReplicaSetWithNothingLeftIsRemoved() {
    Plan plan = reconcile(replicaSet(2).deleting().node("a", 10));

    assertThat(plan.removeReplicaSet()).isTrue();
    assertThat(plan.writes()).isTrue();
    assertThat(plan.startOn()).isEmpty();
  }

  @Test
  void aDeletedReplicaSetIsNotRemovedWhileACopyIsStillStopping() {
    Plan plan = reconcile(replicaSet(2).deleting().node("a", 10).stopping("r1", "a"));

    assertThat(plan.removeReplicaSet()).isFalse();
    assertThat(plan.startOn()).isEmpty();
  }

  // ---- crash loop -----------------------------------------------------------------------------------------------

  /** A dead copy, and whether it counts as a failure of the replica set. */
  record Failure(String behaviour, ReplicaSetFixture given, boolean counts) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Failure> whatCountsAsAFailure() {
    return Stream.of(
        new Failure("a copy that exited before minUptime is a failure", crashing().exited("r1", "a", SHORT), true),
        new Failure("a copy that could not be launched is a failure", crashing().failedToStart("r1", "a"), true),
        new Failure("a copy lost before minUptime is a failure", crashing().lost("r1", "a", SHORT), true),
        new Failure("a copy its agent stopped before minUptime is not a failure",
            crashing().stoppedByItsAgent("r1", "a", SHORT), false),
        new Failure("a copy its agent stopped for a failed liveness probe is a failure, whatever its uptime",
            crashing().failedItsLivenessProbe("r1", "a", LONG), true),
        new Failure("an assignment its agent refused is not a failure", crashing().refusedByItsAgent("r1", "a"), false),
        new Failure("a copy that exited at minUptime is not a failure",
            crashing().exited("r1", "a", Duration.ofMillis(POLICY.minUptimeMs())), false),
        new Failure("a copy lost at minUptime is not a failure",
            crashing().lost("r1", "a", Duration.ofMillis(POLICY.minUptimeMs())), false),
        new Failure("a copy killed after a long uptime is not a failure", crashing().killed("r1", "a", LONG), false),
        new Failure("a copy a user asked to stop before minUptime is not a failure",
            crashing().stopRequested("r1", "a", SHORT, "erin"), false),
        new Failure("a copy lost after a long uptime is not a failure", crashing().lost("r1", "a", LONG), false),
        new Failure("an assignment that was never launched is not a failure",
            crashing().pending("r1", "a", LAUNCH_TIMEOUT.plusSeconds(1)), false),
        new Failure("an assignment on a node that is gone is not a failure",
            crashing().pending("r1", "gone", SHORT), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void whatCountsAsAFailure(Failure row) {
    Plan plan = reconcile(row.given());

    assertThat(ids(plan.cleanUp())).containsExactly("r1");
    assertThat(plan.startOn()).as("replaced at once").containsExactly("a");
    if (row.counts()) {
      assertThat(plan.crashLoop()).contains(new CrashLoopState(1, Optional.empty()));
    } else {
      assertThat(plan.crashLoop()).isEmpty();
    }
  }

  /** The failures counted before a copy crashes, and how long its replacement must then wait. */
  record Backoff(String behaviour, int failuresBefore, Optional<Duration> backoff) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Backoff> aCrashBacksOff() {
    return Stream.of(
        new Backoff("the first failure is replaced at once", 0, Optional.empty()),
        new Backoff("the second failure waits initialBackoff", 1, Optional.of(Duration.ofSeconds(2))),
        new Backoff("the third failure waits twice initialBackoff", 2, Optional.of(Duration.ofSeconds(4))),
        new Backoff("the fourth failure waits four times initialBackoff", 3, Optional.of(Duration.ofSeconds(8))),
        new Backoff("the fifth failure waits maxBackoff, not 16 s", 4, Optional.of(Duration.ofSeconds(10))),
        new Backoff("a long crash loop stays at maxBackoff", 40, Optional.of(Duration.ofSeconds(10))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void aCrashBacksOff(Backoff row) {
    CrashLoopState before = row.failuresBefore() == 0
        ? CrashLoopState.HEALTHY
        : new CrashLoopState(row.failuresBefore(), Optional.of(NOW.minusSeconds(30)));

    Plan plan = reconcile(crashing().crashLoop(before).exited("r1", "a", SHORT));

    Optional<Instant> nextSpawnAt = row.backoff().map(NOW::plus);
    assertThat(plan.crashLoop()).contains(new CrashLoopState(row.failuresBefore() + 1, nextSpawnAt));
    assertThat(ids(plan.cleanUp())).containsExactly("r1");
    assertThat(plan.unschedulable()).isEmpty();
    if (nextSpawnAt.isPresent()) {
      assertThat(plan.startOn()).isEmpty();
      assertWakesAt(plan, nextSpawnAt.get());
    } else {
      assertThat(plan.startOn()).containsExactly("a");
    }
  }

  @Test
  void whileTheBackoffHoldsNothingIsSpawnedAndRequeueAfterPointsAtNextSpawnAt() {
    Plan plan = reconcile(crashing().crashLoop(2, Optional.of(NOW.plusSeconds(3))));

    assertThat(plan.startOn()).isEmpty();
    assertThat(plan.crashLoop()).as("the stored backoff is kept").isEmpty();
    assertThat(plan.unschedulable()).isEmpty();
    assertWakesAt(plan, NOW.plusSeconds(3));
  }

  @Test
  void onceTheBackoffHasPassedTheReplacementStarts() {
    Plan plan = reconcile(crashing().crashLoop(2, Optional.of(NOW)));

    assertThat(plan.startOn()).containsExactly("a");
    assertThat(plan.crashLoop()).as("the count stays until a copy stays up").isEmpty();
  }

  @Test
  void theCountResetsOnceALiveCopyHasStayedUpResetAfter() {
    Plan plan = reconcile(crashing().crashLoop(3, Optional.of(NOW.minusSeconds(60)))
        .running("r1", "a", Duration.ofMillis(POLICY.resetAfterMs())));

    assertThat(plan.crashLoop()).contains(CrashLoopState.HEALTHY);
    assertThat(plan.startOn()).isEmpty();
  }

  @Test
  void theCountHoldsWhileTheLiveCopyIsYoungerThanResetAfterAndAReconcileIsDueWhenItIsOldEnough() {
    Plan plan = reconcile(crashing().crashLoop(3, Optional.of(NOW.minusSeconds(50)))
        .running("r1", "a", Duration.ofSeconds(50)));

    assertThat(plan.crashLoop()).isEmpty();
    assertWakesAt(plan, NOW.plusSeconds(10));
  }

  @Test
  void aCopyCrashLoopingBesideLongLivedCopiesStillBacksOff() {
    CrashLoopState afterFirstFailure = new CrashLoopState(1, Optional.empty());

    Plan whileTheReplacementRuns = reconcile(threeCopiesCrashing().crashLoop(afterFirstFailure)
        .running("r3", "c", SHORT));
    assertThat(whileTheReplacementRuns.crashLoop()).as("the long-lived copies do not reset the count").isEmpty();

    Plan whenItCrashesAgain = reconcile(threeCopiesCrashing().crashLoop(afterFirstFailure)
        .exited("r3", "c", SHORT));
    assertThat(whenItCrashesAgain.startOn()).isEmpty();
    assertThat(whenItCrashesAgain.crashLoop()).contains(new CrashLoopState(2, Optional.of(NOW.plusSeconds(2))));
  }

  @Test
  void longLivedCopiesDoNotResetTheCountWhileTheBackoffHoldsAndTheSetIsLookedAtWhenItEnds() {
    Plan plan = reconcile(threeCopiesCrashing().crashLoop(2, Optional.of(NOW.plusSeconds(2))));

    assertThat(plan.startOn()).isEmpty();
    assertThat(plan.crashLoop()).isEmpty();
    assertWakesAt(plan, NOW.plusSeconds(2));
  }

  @Test
  void theCountResetsOnceEveryCopyOfTheWholeReplicaSetHasStayedUpResetAfter() {
    Plan plan = reconcile(threeCopiesCrashing().crashLoop(2, Optional.of(NOW.minusSeconds(60)))
        .running("r3", "c", Duration.ofMillis(POLICY.resetAfterMs())));

    assertThat(plan.crashLoop()).contains(CrashLoopState.HEALTHY);
  }

  @Test
  void theResetIsDueWhenTheYoungestCopyHasStayedUpResetAfter() {
    Plan plan = reconcile(replicaSet(2).crashLoopPolicy(POLICY).node("a", 10).node("b", 10)
        .crashLoop(2, Optional.of(NOW.minusSeconds(60)))
        .running("r1", "a", Duration.ofSeconds(50)).running("r2", "b", Duration.ofSeconds(30)));

    assertThat(plan.crashLoop()).isEmpty();
    assertWakesAt(plan, NOW.plusSeconds(30));
  }

  @Test
  void aDeletingReplicaSetDoesNotCountCrashes() {
    Plan plan = reconcile(crashing().deleting().exited("r1", "a", SHORT));

    assertThat(plan.crashLoop()).isEmpty();
    assertThat(ids(plan.cleanUp())).containsExactly("r1");
    assertThat(plan.startOn()).isEmpty();
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  /** One copy wanted on one roomy node, under {@link #POLICY}. */
  private static ReplicaSetFixture crashing() {
    return replicaSet(1).crashLoopPolicy(POLICY).node("a", 10);
  }

  /** Three copies wanted on three nodes; two have run for a long time, the third is up to the test. */
  private static ReplicaSetFixture threeCopiesCrashing() {
    return replicaSet(3).crashLoopPolicy(POLICY).node("a", 10).node("b", 10).node("c", 10)
        .running("r1", "a", LONG).running("r2", "b", LONG);
  }

  private Plan reconcile(ReplicaSetFixture given) {
    return reconciler.reconcile(given.build(), NOW);
  }

  private static List<String> ids(List<AssignmentRecord> assignments) {
    return assignments.stream().map(AssignmentRecord::instanceId).toList();
  }

  /** The plan asks to look again at {@code expected}: not before (nothing would have changed), barely after. */
  private static void assertWakesAt(Plan plan, Instant expected) {
    assertThat(plan.requeueAfter()).as("requeueAfter").isPresent();
    Instant wake = NOW.plus(plan.requeueAfter().orElseThrow());
    assertThat(wake).as("wakes at").isBetween(expected, expected.plusMillis(10));
  }
}
