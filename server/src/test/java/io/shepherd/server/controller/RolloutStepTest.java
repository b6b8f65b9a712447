package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutPolicy;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.OnPartition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutStepTest {
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final ReplicaSetSpec OLD_TEMPLATE = ReplicaSetSpec.of(3, List.of("sleep", "100000"));
  private static final ReplicaSetSpec NEW_TEMPLATE = ReplicaSetSpec.of(3, List.of("sleep", "200000"));

  /** A replica set at revision 2 (revision 1 was complete), its copies, and the stored rollout. */
  static final class Given {
    private final int replicas;
    private RolloutPolicy policy;
    private final List<RolloutStep.Member> members = new ArrayList<>();
    private final Map<AssignmentRecord, String> kinds = new HashMap<>();
    private Optional<Rollout> previous;
    private boolean paused;
    private int promoted;
    private boolean crashLoop;
    private int serial;

    Given(int replicas, String surge, String unavailable) {
      this.replicas = replicas;
      this.policy = RolloutPolicy.DEFAULT.withBounds(surge, unavailable);
      this.previous = Optional.of(rollout(1, 2, RolloutState.PROGRESSING, NOW.minusSeconds(1)));
    }

    /** {@code n} ready copies of {@code revision}, started long ago. */
    Given ready(int revision, int n) {
      return add(revision, n, true, true, true);
    }

    /** {@code n} running copies of {@code revision} that are not ready. */
    Given unready(int revision, int n) {
      return add(revision, n, true, false, false);
    }

    /** {@code n} copies of {@code revision} assigned, not yet registered. */
    Given pending(int revision, int n) {
      return add(revision, n, false, false, false);
    }

    /** {@code n} ready copies of {@code revision} not yet ready for minReadyMs. */
    Given readyNotAvailable(int revision, int n) {
      return add(revision, n, true, true, false);
    }

    Given policy(RolloutPolicy p) {
      policy = p;
      return this;
    }

    Given stored(Rollout r) {
      previous = Optional.of(r);
      return this;
    }

    Given noRolloutYet() {
      previous = Optional.empty();
      return this;
    }

    Given paused() {
      paused = true;
      return this;
    }

    Given promoted() {
      promoted = 2;
      return this;
    }

    Given crashLooping() {
      crashLoop = true;
      return this;
    }

    private Given add(int revision, int n, boolean live, boolean ready, boolean available) {
      for (int i = 0; i < n; i++) {
        String id = "r" + revision + "-" + (serial++);
        AssignmentRecord a = AssignmentRecord.assigned(id, "web", "node-a", List.of("sleep"), Map.of(),
            Optional.empty(), 0, OnPartition.KEEP_RUNNING, 0, 1, NOW.minusSeconds(100 - serial)).withRevision(revision);
        members.add(new RolloutStep.Member(a, live, ready, available, NOW.minusSeconds(100 - serial)));
        kinds.put(a, (revision == 2 ? "new " : "old ")
            + (!live ? "pending" : !ready ? "unready" : available ? "available" : "ready, not yet available"));
      }
      return this;
    }

    StoredReplicaSet stored() {
      StoredReplicaSet s = new StoredReplicaSet(NEW_TEMPLATE.withReplicas(replicas).withRollout(policy), false, 2, 2,
          "alice", RolloutReason.NEW_REVISION, paused, promoted);
      return s;
    }

    RolloutStep.Input input() {
      Map<Integer, Revision> revisions = Map.of(
          1, new Revision(1, OLD_TEMPLATE, NOW.minusSeconds(3600), "bob", RolloutReason.NEW_REVISION),
          2, new Revision(2, NEW_TEMPLATE, NOW.minusSeconds(2), "alice", RolloutReason.NEW_REVISION));
      return new RolloutStep.Input(stored(), previous, members, crashLoop, revisions, Optional.empty(), NOW);
    }

    RolloutStep.Decision decide() {
      return RolloutStep.decide(input());
    }

    /** What each copy was ("old pending", "new ready, not yet available", ...), for copies a decision stops. */
    String kind(AssignmentRecord a) {
      return kinds.get(a);
    }

    List<RolloutStep.Member> members() {
      return members;
    }
  }

  static Rollout rollout(int from, int to, RolloutState state, Instant lastProgress) {
    return Rollout.builder()
        .fromRevision(from).toRevision(to).stableRevision(from).state(state).reason(RolloutReason.NEW_REVISION)
        .desired(3).counts(0, 0, 0, 3)
        .startedBy("alice").startedAt(lastProgress).lastProgressAt(lastProgress)
        .build();
  }

  /** A case: what stands, how many new copies start, which revisions' copies stop (by revision, in order). */
  record Row(String behaviour, Given given, int start, List<Integer> stopRevisions) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Row> steps() {
    return Stream.of(
        new Row("surge 1, unavailable 0: one new copy starts beside the three old ones, none stops",
            new Given(3, "1", "0").ready(1, 3), 1, List.of()),
        new Row("surge 1, unavailable 0: while the new copy is pending, nothing more starts and nothing stops",
            new Given(3, "1", "0").ready(1, 3).pending(2, 1), 0, List.of()),
        new Row("surge 1, unavailable 0: once the new copy is available one old copy stops",
            new Given(3, "1", "0").ready(1, 3).ready(2, 1), 0, List.of(1)),
        new Row("surge 1, unavailable 0: after that stop the next new copy starts",
            new Given(3, "1", "0").ready(1, 2).ready(2, 1), 1, List.of()),
        new Row("surge 1, unavailable 0: a new copy ready but not for minReadyMs stops no old one",
            new Given(3, "1", "0").ready(1, 3).readyNotAvailable(2, 1), 0, List.of()),
        new Row("surge 1, unavailable 0: a new copy that runs but is not ready stops no old one",
            new Given(3, "1", "0").ready(1, 3).unready(2, 1), 0, List.of()),
        new Row("surge 0, unavailable 1: one old copy stops first, nothing starts (no room)",
            new Given(3, "0", "1").ready(1, 3), 0, List.of(1)),
        new Row("surge 0, unavailable 1: with one old copy stopped, one new copy starts",
            new Given(3, "0", "1").ready(1, 2), 1, List.of()),
        new Row("surge 0, unavailable 1: while the new copy is not ready, no further old copy stops",
            new Given(3, "0", "1").ready(1, 2).unready(2, 1), 0, List.of()),
        new Row("1 replica, surge 25% (rounds up to 1), unavailable 25% (rounds down to 0): a new copy starts first",
            new Given(1, "25%", "25%").ready(1, 1), 1, List.of()),
        new Row("1 replica, 25%/25%: the old copy stops only once the new one is available",
            new Given(1, "25%", "25%").ready(1, 1).ready(2, 1), 0, List.of(1)),
        new Row("1 replica, 25%/25%: the old copy stays while the new one is pending",
            new Given(1, "25%", "25%").ready(1, 1).pending(2, 1), 0, List.of()),
        new Row("1 replica, surge 0, unavailable 1: the old copy stops, then the new one starts",
            new Given(1, "0", "1").ready(1, 1), 0, List.of(1)),
        new Row("10 replicas, 25%/25%: surge rounds up to 3, unavailable down to 2",
            new Given(10, "25%", "25%").ready(1, 10), 3, List.of(1, 1)),
        new Row("old copies that are not available stop at once, even with unavailable 0",
            new Given(3, "1", "0").ready(1, 2).unready(1, 1), 1, List.of(1)),
        new Row("pending old copies stop at once too",
            new Given(3, "1", "0").ready(1, 2).pending(1, 1), 1, List.of(1)),
        new Row("a new leader mid-way (2 new, 2 old, all ready; surge 1) stops one old copy and starts nothing",
            new Given(3, "1", "0").ready(1, 2).ready(2, 2), 0, List.of(1)),
        new Row("more new copies than replicas (scaled down mid-way): the least useful new copy stops",
            new Given(2, "1", "0").ready(2, 2).pending(2, 1), 0, List.of(2)),
        new Row("a paused rollout replaces nothing",
            new Given(3, "1", "0").ready(1, 3).ready(2, 1).paused(), 0, List.of()),
        new Row("a paused rollout keeps the count: a lost copy is replaced",
            new Given(3, "1", "0").ready(1, 1).ready(2, 1).paused(), 1, List.of()),
        new Row("a failed rollout scaled down with no old copy left keeps exactly the count",
            new Given(1, "1", "0").stored(rollout(1, 2, RolloutState.FAILED, NOW.minusSeconds(10))).ready(2, 3),
            0, List.of(2, 2)),
        new Row("a paused rollout keeps the surge copy it holds",
            new Given(3, "1", "0").paused().ready(1, 3).ready(2, 1), 0, List.of()),
        new Row("canary 1: one new copy starts",
            new Given(3, "1", "0").policy(RolloutPolicy.DEFAULT.withBounds("1", "0").withCanary(1)).ready(1, 3),
            1, List.of()),
        new Row("canary 1: once it is available the rollout pauses and replaces nothing more",
            new Given(3, "1", "0").policy(RolloutPolicy.DEFAULT.withBounds("1", "0").withCanary(1)).ready(1, 3)
                .ready(2, 1), 0, List.of()),
        new Row("canary 1, promoted: the rollout goes on",
            new Given(3, "1", "0").policy(RolloutPolicy.DEFAULT.withBounds("1", "0").withCanary(1)).ready(1, 3)
                .ready(2, 1).promoted(), 0, List.of(1)),
        new Row("canary 1 set after the rollout completed: no copy stops",
            new Given(3, "1", "0").policy(RolloutPolicy.DEFAULT.withBounds("1", "0").withCanary(1))
                .stored(rollout(1, 2, RolloutState.COMPLETE, NOW.minusSeconds(60))).ready(2, 3), 0, List.of()),
        new Row("canary 1 set after the rollout completed: a lost copy is replaced",
            new Given(3, "1", "0").policy(RolloutPolicy.DEFAULT.withBounds("1", "0").withCanary(1))
                .stored(rollout(1, 2, RolloutState.COMPLETE, NOW.minusSeconds(60))).ready(2, 2), 1, List.of()),
        new Row("canary 1 waiting for promote, every old copy lost and replaced to keep the count: it completes, "
                + "no copy stops",
            new Given(3, "1", "0").policy(RolloutPolicy.DEFAULT.withBounds("1", "0").withCanary(1))
                .stored(rollout(1, 2, RolloutState.PAUSED, NOW.minusSeconds(60))).ready(2, 3), 0, List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("steps")
  void aStepStartsAndStopsWithinTheBounds(Row row) {
    RolloutStep.Decision d = row.given().decide();

    assertThat(d.startNew()).as("new copies to start").isEqualTo(row.start());
    assertThat(d.stop()).extracting(AssignmentRecord::revision).as("revisions of the copies to stop")
        .containsExactlyElementsOf(row.stopRevisions());
    assertThat(d.revert()).isEmpty();
  }

  /** A case: what stands and what the copies that stop were, in the order they stop. */
  record WhichRow(String behaviour, Given given, List<String> stopped) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<WhichRow> whichCopiesStop() {
    return Stream.of(
        new WhichRow("scaled down mid-way to fewer than the new copies: one not yet available stops, not an "
                + "available one (which is younger)",
            new Given(2, "1", "0").readyNotAvailable(2, 1).ready(2, 2), List.of("new ready, not yet available")),
        new WhichRow("a failed rollout scaled down: pending, unready, then not yet available copies stop before the "
                + "available one (which is younger)",
            new Given(2, "0", "50%").stored(rollout(1, 2, RolloutState.FAILED, NOW.minusSeconds(10)))
                .readyNotAvailable(2, 2).pending(1, 1).unready(1, 1).ready(1, 1),
            List.of("old pending", "old unready", "new ready, not yet available")),
        new WhichRow("old copies that serve no one stop at once; the available old one stays at the floor",
            new Given(3, "1", "0").ready(1, 1).unready(1, 1).pending(1, 1).ready(2, 2),
            List.of("old unready", "old pending")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("whichCopiesStop")
  void theCopiesThatStopAreThoseThatServeLeast(WhichRow row) {
    RolloutStep.Decision d = row.given().decide();

    assertThat(d.stop()).extracting(a -> row.given().kind(a)).as("what the copies that stop were")
        .containsExactlyElementsOf(row.stopped());
  }

  @Test
  void percentagesRoundLikeKubernetesAndNeverBothToZero() {
    RolloutPolicy quarter = RolloutPolicy.DEFAULT;
    assertThat(quarter.surge(10)).isEqualTo(3);
    assertThat(quarter.unavailable(10)).isEqualTo(2);
    assertThat(quarter.surge(1)).isEqualTo(1);
    assertThat(quarter.unavailable(1)).isZero();
    RolloutPolicy none = RolloutPolicy.DEFAULT.withBounds("0%", "0%");
    assertThat(none.surge(4)).isZero();
    assertThat(none.unavailable(4)).as("both zero: one may be unavailable").isEqualTo(1);
  }

  @Test
  void everyCopyUpdatedAndAvailableCompletesTheRolloutAndMakesItsRevisionStable() {
    RolloutStep.Decision d = new Given(3, "1", "0").ready(2, 3).decide();

    Rollout r = d.rollout().orElseThrow();
    assertThat(r.state()).isEqualTo(RolloutState.COMPLETE);
    assertThat(r.reason()).isEqualTo(RolloutReason.ALL_COPIES_UPDATED);
    assertThat(r.stableRevision()).isEqualTo(2);
    assertThat(r.finishedAt()).contains(NOW);
    assertThat(List.of(r.updated(), r.ready(), r.available(), r.old())).containsExactly(3, 3, 3, 0);
  }

  @Test
  void aNewTemplateStartsARolloutFromTheStableRevisionByItsAuthor() {
    Rollout done = rollout(0, 1, RolloutState.COMPLETE, NOW.minusSeconds(60)).finished(NOW.minusSeconds(60), 1);
    RolloutStep.Decision d = new Given(3, "1", "0").stored(done).ready(1, 3).decide();

    Rollout r = d.rollout().orElseThrow();
    assertThat(r.state()).isEqualTo(RolloutState.PROGRESSING);
    assertThat(List.of(r.fromRevision(), r.toRevision(), r.stableRevision())).containsExactly(1, 2, 1);
    assertThat(r.startedBy()).isEqualTo("alice");
    assertThat(r.startedAt()).isEqualTo(NOW);
  }

  @Test
  void noNewCopyAvailableWithinTheDeadlineRevertsToTheStableRevision() {
    long deadline = RolloutPolicy.DEFAULT_PROGRESS_DEADLINE_MS;
    RolloutStep.Decision d = new Given(3, "1", "0")
        .stored(rollout(1, 2, RolloutState.PROGRESSING, NOW.minusMillis(deadline)))
        .ready(1, 3).unready(2, 1).decide();

    Rollout r = d.rollout().orElseThrow();
    assertThat(r.state()).isEqualTo(RolloutState.PROGRESSING);
    assertThat(r.reason()).isEqualTo(RolloutReason.PROGRESS_DEADLINE_EXCEEDED);
    assertThat(r.toRevision()).isEqualTo(1);
    assertThat(r.revertedFrom()).contains(2);
    StoredReplicaSet back = d.revert().orElseThrow();
    assertThat(back.revision()).isEqualTo(1);
    assertThat(back.spec().command()).isEqualTo(OLD_TEMPLATE.command());
    assertThat(back.spec().replicas()).as("the count stays the current one").isEqualTo(3);
    assertThat(back.latestRevision()).isEqualTo(2);
    assertThat(back.previousRevision()).as("a plain undo afterwards goes to the failed one").isEqualTo(2);
    assertThat(d.restored().orElseThrow().restores()).as("the controller brought revision 1 back, and why")
        .containsExactly(new Revision.Restore(NOW, Revision.CONTROLLER, RolloutReason.PROGRESS_DEADLINE_EXCEEDED, 2));
    assertThat(d.restored().orElseThrow().createdBy()).isEqualTo("bob");
    assertThat(d.startNew()).isZero();
    assertThat(d.stop()).isEmpty();
  }

  @Test
  void aMomentBeforeTheDeadlineTheRolloutStillProgressesAndLooksAgainAtTheDeadline() {
    long deadline = RolloutPolicy.DEFAULT_PROGRESS_DEADLINE_MS;
    RolloutStep.Decision d = new Given(3, "1", "0")
        .stored(rollout(1, 2, RolloutState.PROGRESSING, NOW.minusMillis(deadline - 1)))
        .ready(1, 3).unready(2, 1).decide();

    assertThat(d.revert()).isEmpty();
    assertThat(d.rollout().map(Rollout::state)).contains(RolloutState.PROGRESSING);
    assertThat(d.rollout().map(Rollout::lastProgressAt)).contains(NOW.minusMillis(deadline - 1));
    assertThat(d.wakeUp()).contains(Duration.ofMillis(1));
  }

  @Test
  void crashLoopingNewCopiesRevertAtOnce() {
    RolloutStep.Decision d = new Given(3, "1", "0").ready(1, 3).pending(2, 1).crashLooping().decide();

    assertThat(d.rollout().orElseThrow().reason()).isEqualTo(RolloutReason.NEW_COPIES_CRASH_LOOP);
    assertThat(d.revert().orElseThrow().revision()).isEqualTo(1);
    assertThat(d.restored().orElseThrow().restores()).extracting(Revision.Restore::reason)
        .containsExactly(RolloutReason.NEW_COPIES_CRASH_LOOP);
  }

  @Test
  void withoutAutoRevertAFailedRolloutStopsWhereItIsAndSaysWhy() {
    RolloutStep.Decision d = new Given(3, "1", "0")
        .policy(RolloutPolicy.DEFAULT.withBounds("1", "0").withAutoRevert(false))
        .ready(1, 3).pending(2, 1).crashLooping().decide();

    Rollout r = d.rollout().orElseThrow();
    assertThat(r.state()).isEqualTo(RolloutState.FAILED);
    assertThat(r.reason()).isEqualTo(RolloutReason.NEW_COPIES_CRASH_LOOP);
    assertThat(r.message()).contains("autoRevert is off");
    assertThat(d.revert()).isEmpty();
    assertThat(d.restored()).isEmpty();
    assertThat(d.startNew()).isZero();
    assertThat(d.stop()).isEmpty();
  }

  @Test
  void aFailedRolloutReplacesNothingMoreButKeepsTheCount() {
    Rollout failed = rollout(1, 2, RolloutState.FAILED, NOW.minusSeconds(10));
    RolloutStep.Decision d = new Given(3, "1", "0").stored(failed).ready(1, 1).unready(2, 1).decide();

    assertThat(d.startNew()).isEqualTo(1);
    assertThat(d.stop()).isEmpty();
  }

  @Test
  void aRevertThatCompletesEndsReverted() {
    Rollout reverting = rollout(2, 1, RolloutState.PROGRESSING, NOW.minusSeconds(5)).toBuilder()
        .reason(RolloutReason.PROGRESS_DEADLINE_EXCEEDED).counts(2, 2, 2, 1).stableRevision(1)
        .revertedFrom(Optional.of(2)).build();
    Given given = new Given(3, "1", "0").stored(reverting).ready(1, 3);
    StoredReplicaSet atOne = new StoredReplicaSet(OLD_TEMPLATE, false, 1, 2, "alice", RolloutReason.NEW_REVISION,
        false, 0);
    RolloutStep.Decision d = RolloutStep.decide(new RolloutStep.Input(atOne, Optional.of(reverting),
        given.members(), false, Map.of(), Optional.empty(), NOW));

    Rollout r = d.rollout().orElseThrow();
    assertThat(r.state()).isEqualTo(RolloutState.REVERTED);
    assertThat(r.reason()).isEqualTo(RolloutReason.PROGRESS_DEADLINE_EXCEEDED);
    assertThat(r.revertedFrom()).contains(2);
  }

  @Test
  void aRevertThatFailsTooStopsWhereItIs() {
    Rollout reverting = rollout(2, 1, RolloutState.PROGRESSING, NOW.minusSeconds(5)).toBuilder()
        .reason(RolloutReason.NEW_COPIES_CRASH_LOOP).stableRevision(1).revertedFrom(Optional.of(2)).build();
    Given given = new Given(3, "1", "0").stored(reverting).ready(2, 3).pending(1, 1);
    StoredReplicaSet atOne = new StoredReplicaSet(OLD_TEMPLATE, false, 1, 2, "alice", RolloutReason.NEW_REVISION,
        false, 0);
    RolloutStep.Decision d = RolloutStep.decide(new RolloutStep.Input(atOne, Optional.of(reverting),
        given.members(), true, Map.of(), Optional.empty(), NOW));

    assertThat(d.rollout().orElseThrow().state()).isEqualTo(RolloutState.FAILED);
    assertThat(d.revert()).isEmpty();
  }

  @Test
  void aCompleteRolloutStaysAsItEndedWhenACopyIsReplaced() {
    Rollout done = rollout(1, 2, RolloutState.COMPLETE, NOW.minusSeconds(60)).finished(NOW.minusSeconds(60), 2);
    RolloutStep.Decision d = new Given(3, "1", "0").stored(done).ready(2, 2).decide();

    assertThat(d.rollout()).as("nothing to write").isEmpty();
    assertThat(d.startNew()).isEqualTo(1);
  }

  @Test
  void aPausedSetStaysPausedThroughANewTemplateAndItsRolloutBeginsPaused() {
    StoredReplicaSet paused = new StoredReplicaSet(OLD_TEMPLATE, false, 1, 1, "bob", RolloutReason.NEW_REVISION, true,
        0).newRevision(NEW_TEMPLATE, "alice", RolloutReason.NEW_REVISION);
    Rollout done = rollout(0, 1, RolloutState.COMPLETE, NOW.minusSeconds(60)).finished(NOW.minusSeconds(60), 1);
    Given given = new Given(3, "1", "0").ready(1, 3);
    RolloutStep.Decision d = RolloutStep.decide(new RolloutStep.Input(paused, Optional.of(done), given.members(),
        false, Map.of(), Optional.empty(), NOW));

    assertThat(paused.paused()).isTrue();
    assertThat(d.rollout().orElseThrow().state()).isEqualTo(RolloutState.PAUSED);
    assertThat(d.startNew()).isZero();
    assertThat(d.stop()).isEmpty();
  }

  @Test
  void aFirstRolloutHasNothingToGoBackTo() {
    StoredReplicaSet first = new StoredReplicaSet(NEW_TEMPLATE, false, 1, 1, "alice", RolloutReason.NEW_REVISION,
        false, 0);
    Rollout starting = rollout(0, 1, RolloutState.PROGRESSING, NOW.minusSeconds(5)).toBuilder()
        .counts(0, 0, 0, 0).build();
    RolloutStep.Decision d = RolloutStep.decide(new RolloutStep.Input(first, Optional.of(starting), List.of(), true,
        Map.of(), Optional.empty(), NOW));

    assertThat(d.rollout().orElseThrow().state()).isEqualTo(RolloutState.FAILED);
    assertThat(d.rollout().orElseThrow().message()).contains("no complete revision");
    assertThat(d.revert()).isEmpty();
  }
}
