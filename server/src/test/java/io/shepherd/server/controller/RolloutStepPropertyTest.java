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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rolling-update step iterated as the leader iterates it: each step's decision is applied (copies stopped,
 * copies started as pending, the rollout stored, a revert stored), then the copies move on (pending ones register,
 * unready ones become ready, ready ones available after {@code minReadyMs}, some crash or turn unready) and users
 * act (scale, pause, resume, promote, a new template), and the clock runs (progress deadlines pass). Every step's
 * input may hold old copies that are pending, unready or ready; new copies that are pending, unready, ready but not
 * yet available, or available; a paused, canary-waiting, failed, reverting or complete rollout; fewer replicas than
 * copies. At every step:
 * <ul>
 *   <li>copies, live or pending: never more than {@code replicas + surge} after it when there were not before, and
 *       none started while there are more;
 *   <li>available copies: never fewer than {@code replicas - unavailable} after its stops when that many were
 *       available before (never fewer than before when fewer were);
 *   <li>a paused or failed rollout starts copies only to keep the count, and one held at its canary no new copy
 *       beyond the canary or the count.
 * </ul>
 * Then users stop acting and every copy comes up: within 20 steps the rollout has ended, complete or reverted with
 * exactly {@code replicas} copies of its target, or failed with between {@code replicas} and its ceiling.
 * Seeded: a failure names its seed and step, and the same seed replays it.
 */
class RolloutStepPropertyTest {
  private static final Instant T0 = Instant.parse("2030-01-01T12:00:00Z");
  private static final long DEADLINE_MS = 60_000;
  private static final String[][] BOUNDS = {{"0", "1"}, {"1", "0"}, {"1", "1"}, {"2", "0"}, {"0", "2"},
      {"25%", "25%"}, {"50%", "0"}, {"0%", "50%"}, {"100%", "0"}};
  private static final String[][] MIX_BOUNDS = {{"0", "1"}, {"1", "0"}, {"1", "1"}, {"25%", "25%"}};

  /** A copy as the leader sees it; the simulation changes it between steps. */
  private static final class Copy {
    final AssignmentRecord assignment;
    final Instant startedAt;
    boolean live;
    boolean ready;
    boolean available;

    Copy(AssignmentRecord assignment, Instant startedAt) {
      this.assignment = assignment;
      this.startedAt = startedAt;
    }

    RolloutStep.Member member() {
      return new RolloutStep.Member(assignment, live, ready, available, startedAt);
    }

    @Override
    public String toString() {
      return assignment.instanceId() + (!live ? " pending" : !ready ? " unready" : available ? " available"
          : " ready-not-available");
    }
  }

  /** One replica set under a rolling update, as the leader finds it step after step. */
  private static final class World {
    final Random random;
    final List<Copy> copies = new ArrayList<>();
    final Map<Integer, Revision> revisions = new HashMap<>();
    StoredReplicaSet stored;
    Optional<Rollout> rollout;
    boolean crashLoop;
    Instant now = T0;
    int serial;

    World(long seed) {
      random = new Random(seed);
      String[] b = BOUNDS[random.nextInt(BOUNDS.length)];
      RolloutPolicy policy = RolloutPolicy.DEFAULT.withBounds(b[0], b[1])
          .withCanary(random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0)
          .withMinReadyMs(random.nextBoolean() ? 0 : 5_000)
          .withProgressDeadlineMs(DEADLINE_MS)
          .withAutoRevert(random.nextInt(4) != 0);
      int replicas = 1 + random.nextInt(5);
      revisions.put(1, new Revision(1, template(1), T0.minusSeconds(3600), "bob", RolloutReason.NEW_REVISION));
      revisions.put(2, new Revision(2, template(2), T0.minusSeconds(1), "alice", RolloutReason.NEW_REVISION));
      stored = new StoredReplicaSet(template(2).withReplicas(replicas).withRollout(policy), false, 2, 2, "alice",
          RolloutReason.NEW_REVISION, random.nextInt(5) == 0, random.nextInt(5) == 0 ? 2 : 0);
      // Revision 1 ran, complete; its copies in any state, some of revision 2 already on their way.
      for (int i = 0, n = random.nextInt(replicas + 2); i < n; i++) {
        add(1, random.nextInt(4) == 0 ? 0 : random.nextInt(4) == 0 ? 1 : 3);
      }
      for (int i = 0, n = random.nextInt(3); i < n; i++) {
        add(2, random.nextInt(4));
      }
      Rollout complete = Rollout.builder().fromRevision(0).toRevision(1).stableRevision(1)
          .state(RolloutState.COMPLETE).reason(RolloutReason.ALL_COPIES_UPDATED).desired(replicas)
          .startedBy("bob").startedAt(T0.minusSeconds(3600)).lastProgressAt(T0.minusSeconds(3600))
          .finishedAt(Optional.of(T0.minusSeconds(3000))).build();
      Rollout underway = complete.toBuilder().fromRevision(1).toRevision(2).reason(RolloutReason.NEW_REVISION)
          .startedBy("alice").startedAt(T0.minusSeconds(10)).lastProgressAt(T0.minusSeconds(10))
          .finishedAt(Optional.empty()).build();
      rollout = switch (random.nextInt(5)) {
        case 0 -> Optional.empty();
        case 1 -> Optional.of(complete);
        case 2 -> Optional.of(underway.toBuilder().state(RolloutState.PROGRESSING).build());
        case 3 -> Optional.of(underway.toBuilder().state(RolloutState.PAUSED)
            .reason(RolloutReason.CANARY_WAITING_FOR_PROMOTE).build());
        default -> Optional.of(underway.toBuilder().state(RolloutState.FAILED)
            .reason(RolloutReason.PROGRESS_DEADLINE_EXCEEDED).finishedAt(Optional.of(T0.minusSeconds(5))).build());
      };
    }

    static ReplicaSetSpec template(int revision) {
      return ReplicaSetSpec.of(3, List.of("sleep", String.valueOf(100_000 * revision)));
    }

    /** A copy of {@code revision}: 0 pending, 1 unready, 2 ready (not yet available if new), 3 available. */
    void add(int revision, int stage) {
      String id = "r" + revision + "-" + serial++;
      Instant at = now.minusSeconds(random.nextInt(100));
      AssignmentRecord a = AssignmentRecord.assigned(id, "web", "node-a", List.of("sleep"), Map.of(), Optional.empty(),
          0, OnPartition.KEEP_RUNNING, 0, 1, at).withRevision(revision);
      Copy c = new Copy(a, at);
      c.live = stage >= 1;
      c.ready = stage >= 2;
      c.available = stage >= 3 || (stage == 2 && !waitsMinReady(revision));
      copies.add(c);
    }

    boolean waitsMinReady(int revision) {
      return revision == stored.revision() && stored.spec().rollout().minReadyMs() > 0;
    }

    RolloutStep.Input input() {
      Optional<Instant> next = copies.stream().anyMatch(c -> c.ready && !c.available)
          ? Optional.of(now.plusMillis(stored.spec().rollout().minReadyMs())) : Optional.empty();
      return new RolloutStep.Input(stored, rollout, copies.stream().map(Copy::member).toList(), crashLoop,
          Map.copyOf(revisions), next, now);
    }

    /** What the leader's transaction does with the decision. */
    void apply(RolloutStep.Decision d) {
      Set<AssignmentRecord> stop = new HashSet<>(d.stop());
      copies.removeIf(c -> stop.contains(c.assignment));
      for (int i = 0; i < d.startNew(); i++) {
        add(stored.revision(), 0);
      }
      d.rollout().ifPresent(r -> rollout = Optional.of(r));
      d.revert().ifPresent(s -> stored = s);
    }

    /** Users stop acting (resumed, promoted) and every copy comes up at once: a second passes. */
    void calm() {
      now = now.plusSeconds(1);
      crashLoop = false;
      copies.forEach(c -> {
        c.live = true;
        c.ready = true;
        c.available = true;
      });
      stored = new StoredReplicaSet(stored.spec(), false, stored.revision(), stored.latestRevision(),
          stored.changedBy(), stored.cause(), false, stored.revision());
    }

    /** What happens before the next step: copies move on, users act, time passes. */
    void between() {
      now = now.plusMillis(random.nextInt((int) DEADLINE_MS / 3));
      crashLoop = random.nextInt(15) == 0;
      for (Copy c : List.copyOf(copies)) {
        int roll = random.nextInt(20);
        if (roll == 0) {
          copies.remove(c); // crashed, or its node went: the reconciler no longer counts it
        } else if (roll == 1) {
          c.ready = false;
          c.available = false;
        } else if (!c.live) {
          c.live = random.nextBoolean();
        } else if (!c.ready) {
          c.ready = random.nextBoolean();
          c.available = c.ready && !waitsMinReady(c.assignment.revision());
        } else if (!c.available) {
          c.available = random.nextBoolean();
        }
      }
      int replicas = random.nextInt(8) == 0 ? 1 + random.nextInt(5) : stored.desired();
      boolean paused = random.nextInt(8) == 0 ? !stored.paused() : stored.paused();
      int promoted = random.nextInt(10) == 0 ? stored.revision() : stored.promotedRevision();
      int revision = stored.revision();
      int latest = stored.latestRevision();
      ReplicaSetSpec spec = stored.spec();
      if (random.nextInt(30) == 0) {
        latest++;
        revision = latest;
        revisions.put(latest, new Revision(latest, template(latest), now, "carol", RolloutReason.NEW_REVISION));
        spec = template(latest).withRollout(spec.rollout());
      }
      stored = new StoredReplicaSet(spec.withReplicas(replicas), false, revision, latest, stored.changedBy(),
          stored.cause(), paused, promoted);
    }
  }

  /**
   * Every mix of copies for 1 to 5 replicas and small bounds, old ones ready, unready or pending, new ones
   * available, ready but not yet available or pending, in a rollout that progresses, is paused, failed or waits at
   * its canary: one step never breaks a bound.
   */
  @Test
  void noStepOfAnyMixExceedsReplicasPlusSurgeNorStopsBelowReplicasMinusUnavailable() {
    Rollout failed = RolloutStepTest.rollout(1, 2, RolloutState.FAILED, T0.minusSeconds(10));
    int mixes = 0;
    for (int replicas = 1; replicas <= 5; replicas++) {
      for (String[] b : MIX_BOUNDS) {
        for (int oldReady = 0; oldReady <= replicas; oldReady++) {
          for (int newReady = 0; newReady + oldReady <= replicas + 1; newReady++) {
            for (int others = 0; others < 16; others++) {
              for (int held = 0; held < 4; held++) {
                RolloutStepTest.Given g = new RolloutStepTest.Given(replicas, b[0], b[1])
                    .ready(1, oldReady).unready(1, others & 1).pending(1, (others >> 1) & 1)
                    .ready(2, newReady).readyNotAvailable(2, (others >> 2) & 1).pending(2, (others >> 3) & 1);
                switch (held) {
                  case 1 -> g.paused();
                  case 2 -> g.stored(failed);
                  case 3 -> g.policy(RolloutPolicy.DEFAULT.withBounds(b[0], b[1]).withCanary(1));
                  default -> { }
                }
                RolloutStep.Input in = g.input();
                int mix = mixes++;
                check(in, RolloutStep.decide(in), () -> "mix " + mix);
              }
            }
          }
        }
      }
    }
    assertThat(mixes).as("mixes checked").isGreaterThan(10_000);
  }

  static Stream<Long> seeds() {
    return Stream.iterate(0L, s -> s + 1).limit(10);
  }

  @ParameterizedTest(name = "seeds {0}xx")
  @MethodSource("seeds")
  void everyStepOfEveryRolloutKeepsBothBoundsAndAFrozenRolloutOnlyKeepsTheCount(long group) {
    Set<String> seen = new HashSet<>();
    for (long seed = group * 100; seed < group * 100 + 100; seed++) {
      World w = new World(seed);
      for (int step = 0; step < 40; step++) {
        RolloutStep.Input in = w.input();
        RolloutStep.Decision d = RolloutStep.decide(in);
        long at = seed;
        int n = step;
        check(in, d, () -> "seed " + at + " step " + n);
        seen.addAll(kinds(in));
        w.apply(d);
        w.between();
      }
      long at = seed;
      for (int step = 0; step < 20; step++) {
        w.calm();
        RolloutStep.Input in = w.input();
        RolloutStep.Decision d = RolloutStep.decide(in);
        int n = step;
        check(in, d, () -> "seed " + at + " calm step " + n);
        w.apply(d);
      }
      w.calm();
      assertEnded(w, () -> "seed " + at);
    }
    assertThat(seen).as("what the steps' inputs held").containsAll(KINDS);
  }

  /**
   * Once nothing disturbs it, a rollout ends: complete (or reverted) with exactly {@code replicas} copies, all of
   * the target revision; or failed, with at least {@code replicas} copies and at most its ceiling.
   */
  private static void assertEnded(World w, Supplier<String> where) {
    RolloutStep.Input in = w.input();
    RolloutStep.Decision d = RolloutStep.decide(in);
    int replicas = in.stored().desired();
    Rollout r = d.rollout().or(in::previous).orElseThrow();
    Supplier<String> about = () -> where.get() + ", after 20 calm steps: " + r.progressLine() + ", copies "
        + in.members().stream().map(RolloutStepPropertyTest::describe).toList();
    assertThat(d.startNew() + d.stop().size()).as(() -> "copies still to start or stop, " + about.get()).isZero();
    assertThat(r.state()).as(about)
        .isIn(RolloutState.COMPLETE, RolloutState.REVERTED, RolloutState.FAILED);
    if (r.state() == RolloutState.FAILED) {
      int ceiling = replicas + in.stored().spec().rollout().surge(replicas);
      assertThat(in.members().size()).as(about).isBetween(replicas, ceiling);
    } else {
      assertThat(in.members()).as(about).hasSize(replicas)
          .allMatch(m -> m.revision() == in.stored().revision());
    }
  }

  private static final List<String> KINDS = List.of("old pending", "old unready", "old ready", "new pending",
      "new unready", "new ready, not yet available", "new available", "paused by a user", "canary waiting",
      "failed", "reverting", "more copies than replicas + surge", "more new copies than replicas");

  /** Which of {@link #KINDS} one step's input holds. */
  private static Set<String> kinds(RolloutStep.Input in) {
    Set<String> out = new HashSet<>();
    int target = in.stored().revision();
    int replicas = in.stored().desired();
    for (RolloutStep.Member m : in.members()) {
      String age = m.revision() == target ? "new " : "old ";
      out.add(age + (!m.live() ? "pending" : !m.ready() ? "unready" : m.available() ? (age.equals("new ")
          ? "available" : "ready") : "ready, not yet available"));
    }
    in.previous().filter(r -> r.toRevision() == target).ifPresent(r -> {
      if (r.state() == RolloutState.PAUSED) {
        out.add(r.reason() == RolloutReason.CANARY_WAITING_FOR_PROMOTE ? "canary waiting" : "paused by a user");
      }
      if (r.state() == RolloutState.FAILED) {
        out.add("failed");
      }
      if (r.revertedFrom().isPresent() && r.state() == RolloutState.PROGRESSING) {
        out.add("reverting");
      }
    });
    if (in.members().size() > replicas + in.stored().spec().rollout().surge(replicas)) {
      out.add("more copies than replicas + surge");
    }
    if (in.members().stream().filter(m -> m.revision() == target).count() > replicas) {
      out.add("more new copies than replicas");
    }
    return out;
  }

  private static void check(RolloutStep.Input in, RolloutStep.Decision d, Supplier<String> where) {
    StoredReplicaSet s = in.stored();
    RolloutPolicy p = s.spec().rollout();
    int replicas = s.desired();
    int maxTotal = replicas + p.surge(replicas);
    int minAvailable = replicas - p.unavailable(replicas);
    List<RolloutStep.Member> members = in.members();
    int total = members.size();
    long available = members.stream().filter(RolloutStep.Member::available).count();
    long updated = members.stream().filter(m -> m.revision() == s.revision()).count();
    Supplier<String> about = () -> where.get() + ": " + replicas + " replicas, surge "
        + p.maxSurge().text() + ", unavailable " + p.maxUnavailable().text() + ", canary " + p.canary() + ", paused "
        + s.paused() + ", promoted " + s.promotedRevision() + ", target " + s.revision() + ", stored "
        + in.previous().map(Rollout::progressLine)
        + ", copies " + members.stream().map(RolloutStepPropertyTest::describe).toList() + " -> start "
        + d.startNew() + ", stop " + d.stop().stream().map(AssignmentRecord::instanceId).toList();

    assertThat(d.stop()).as(about).doesNotHaveDuplicates()
        .allMatch(a -> members.stream().anyMatch(m -> m.assignment().equals(a)));
    int totalAfter = total - d.stop().size() + d.startNew();
    if (total <= maxTotal) {
      assertThat(totalAfter).as(() -> "copies after the step, " + about.get()).isLessThanOrEqualTo(maxTotal);
    } else {
      assertThat(d.startNew()).as(() -> "copies started above replicas + surge, " + about.get()).isZero();
    }
    long availableAfter = members.stream().filter(m -> m.available() && !d.stop().contains(m.assignment())).count();
    assertThat(availableAfter).as(() -> "available copies after the step, " + about.get())
        .isGreaterThanOrEqualTo(Math.min(minAvailable, available));

    if (d.revert().isPresent()) {
      assertThat(d.startNew() + d.stop().size()).as(() -> "a revert's own step changes no copy, " + about.get())
          .isZero();
      return;
    }
    Rollout r = d.rollout().or(in::previous).orElseThrow();
    int keepCount = Math.max(0, replicas - total);
    if (r.state() == RolloutState.PAUSED || r.state() == RolloutState.FAILED) {
      assertThat(d.startNew()).as(() -> "a " + r.state() + " rollout starts only to keep the count, " + about.get())
          .isLessThanOrEqualTo(keepCount);
    }
    boolean canaryHeld = p.canary() > 0 && s.promotedRevision() != s.revision() && r.revertedFrom().isEmpty()
        && r.fromRevision() > 0 && !r.state().ended();
    if (canaryHeld) {
      int canary = Math.min(p.canary(), replicas);
      assertThat(d.startNew()).as(() -> "new copies started before the canary is promoted, " + about.get())
          .isLessThanOrEqualTo(Math.max(keepCount, (int) Math.max(0, canary - updated)));
    }
  }

  private static String describe(RolloutStep.Member m) {
    return m.assignment().instanceId() + (!m.live() ? " pending" : !m.ready() ? " unready" : m.available()
        ? " available" : " ready-not-available") + " since " + m.startedAt().getEpochSecond() % 1000;
  }
}
