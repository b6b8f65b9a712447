package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.OnPartition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcile loop without ZooKeeper: its writes go to a fake {@link PlanWriter}, its leadership is a fake
 * {@link LeaderFence}, its delayed adds wait in a list the test runs by hand, and each batch is run on the test's
 * thread.
 */
class ReconcileLoopTest {
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final Fence FENCE = new Fence(3, 2, "/shepherd/leader/latch-0003");

  private final ManualDelays delays = new ManualDelays();
  private final WorkQueue queue = new WorkQueue(delays);
  private final FakeView view = new FakeView();
  private final FakeDecider decider = new FakeDecider();
  private final FakeWriter writer = new FakeWriter();
  private final FakeLeader leader = new FakeLeader();
  private final List<Plan> hooked = new ArrayList<>();
  private final List<Integer> batches = new ArrayList<>();
  private final List<String> replaced = new ArrayList<>();
  private final ReplacementLedger ledger = new ReplacementLedger();
  private final ReconcileLoop loop = new ReconcileLoop(queue, view, decider, writer, leader,
      Clock.fixed(NOW, ZoneOffset.UTC), new ControllerHooks(new ControllerObserver() {
        @Override
        public void reconciled(int replicaSets, Duration took) {
          batches.add(replicaSets);
        }

        @Override
        public void replacing(String replicaSet, int copies) {
          replaced.add(replicaSet);
        }

        @Override
        public void replaced(String replicaSet, Duration took) {}
      }, hooked::add), ledger);

  @AfterEach
  void close() {
    loop.close();
  }

  @Test
  void aBatchDecidesEachReplicaSetOnceAndCommitsItsPlansTogether() throws Exception {
    decider.plans.put("a", starting("a", "n1"));
    decider.plans.put("b", starting("b", "n1"));
    loop.enqueue(List.of("a", "b"));
    loop.enqueue(List.of("a"));

    assertThat(loop.runOnce(Duration.ZERO)).isEqualTo(2);

    assertThat(decider.decided).containsExactly("a", "b");
    assertThat(writer.calls).hasSize(1);
    assertThat(writer.calls.get(0)).extracting(d -> d.plan().replicaSet()).containsExactly("a", "b");
    assertThat(hooked).extracting(Plan::replicaSet).containsExactly("a", "b");
    assertThat(batches).containsExactly(2);
    assertThat(loop.runOnce(Duration.ZERO)).as("nothing left to do").isZero();
  }

  @Test
  void laterPlansOfABatchSeeTheCopiesEarlierOnesStart() throws Exception {
    decider.plans.put("a", starting("a", "n1"));
    decider.plans.put("b", starting("b", "n1"));
    loop.enqueue(List.of("a", "b"));

    loop.runOnce(Duration.ZERO);

    assertThat(view.loadChangeSeen.get("a")).isEmpty();
    assertThat(view.loadChangeSeen.get("b")).containsExactly(Map.entry("n1", 1));
  }

  @Test
  void aPlanThatWritesNothingIsNotCommitted() throws Exception {
    decider.plans.put("a", plan("a", List.of(), Optional.empty()));
    loop.enqueue(List.of("a"));

    loop.runOnce(Duration.ZERO);

    assertThat(decider.decided).containsExactly("a");
    assertThat(writer.calls).allSatisfy(plans -> assertThat(plans).isEmpty());
    assertThat(hooked).isEmpty();
  }

  @Test
  void aFailedCommitIsRetriedAfterABackoff() throws Exception {
    decider.plans.put("a", starting("a", "n1"));
    decider.plans.put("b", starting("b", "n1"));
    writer.failing.add("a");
    loop.enqueue(List.of("a", "b"));

    loop.runOnce(Duration.ZERO);

    assertThat(writer.committed).containsExactly("b");
    assertThat(delays.pending()).hasSize(1).allSatisfy(d -> assertThat(d).isPositive());
    assertThat(loop.runOnce(Duration.ZERO)).as("not before its backoff").isZero();

    writer.failing.clear();
    delays.runAll();
    assertThat(loop.runOnce(Duration.ZERO)).isEqualTo(1);
    assertThat(writer.committed).containsExactly("b", "a");
    assertThat(delays.pending()).as("committed: nothing more to retry").isEmpty();
  }

  @Test
  void aDecisionThatFailsIsRetriedAfterABackoff() throws Exception {
    decider.throwing.add("a");
    loop.enqueue(List.of("a"));

    loop.runOnce(Duration.ZERO);

    assertThat(delays.pending()).hasSize(1);
    delays.runAll();
    assertThat(loop.runOnce(Duration.ZERO)).isEqualTo(1);
  }

  @Test
  void aFenceRejectionGivesTheLeadershipUp() throws Exception {
    decider.plans.put("a", starting("a", "n1"));
    writer.fenced = true;
    loop.enqueue(List.of("a"));

    loop.runOnce(Duration.ZERO);

    assertThat(leader.rejected).containsExactly(FENCE);
    assertThat(leader.isLeader()).isFalse();
    assertThat(delays.pending()).as("a server that does not lead retries nothing").isEmpty();
  }

  @Test
  void requeueAfterBringsTheReplicaSetBackThatMuchLater() throws Exception {
    decider.plans.put("a", plan("a", List.of(), Optional.of(Duration.ofSeconds(30))));
    decider.plans.put("b", plan("b", List.of(new Plan.Start("n1", "b-1", Map.of())),
        Optional.of(Duration.ofSeconds(7))));
    loop.enqueue(List.of("a", "b"));

    loop.runOnce(Duration.ZERO);

    assertThat(delays.pending()).containsExactlyInAnyOrder(Duration.ofSeconds(30), Duration.ofSeconds(7));
    assertThat(loop.runOnce(Duration.ZERO)).isZero();
    delays.runAll();
    assertThat(loop.runOnce(Duration.ZERO)).isEqualTo(2);
    assertThat(decider.decided).containsExactly("a", "b", "a", "b");
  }

  @Test
  void nothingIsQueuedOrDecidedWhileThisServerDoesNotLead() throws Exception {
    decider.plans.put("a", starting("a", "n1"));
    leader.fence = Optional.empty();
    loop.enqueue(List.of("a"));
    loop.enqueueAll();
    assertThat(loop.runOnce(Duration.ZERO)).isZero();

    leader.fence = Optional.of(FENCE);
    loop.enqueue(List.of("a"));
    leader.fence = Optional.empty(); // lost between the event and the batch
    loop.runOnce(Duration.ZERO);
    assertThat(decider.decided).isEmpty();
  }

  @Test
  void everythingIsQueuedOnlyOnceTheViewHasCaughtUp() throws Exception {
    view.names.addAll(List.of("a", "b"));
    view.caughtUp = false;
    loop.enqueueAll();
    assertThat(loop.runOnce(Duration.ZERO)).isZero();

    view.caughtUp = true;
    loop.enqueueAll();
    assertThat(loop.runOnce(Duration.ZERO)).isEqualTo(2);
    assertThat(decider.decided).containsExactly("a", "b");
  }

  @Test
  void aCommittedPlanThatReplacesADeadCopyIsCountedAndItsReplacementTimedFromTheDecision() throws Exception {
    AssignmentRecord dead = assignment("web-dead");
    view.wanting("web", 2, List.of(dead, assignment("web-alive")));
    decider.plans.put("web", new Plan("web", 1, List.of(new Plan.Start("n1", "web-new", Map.of())), List.of(),
        List.of(dead), Optional.empty(), false, Optional.empty(), Optional.empty()));
    loop.enqueue(List.of("web"));

    loop.runOnce(Duration.ZERO);

    assertThat(replaced).containsExactly("web");
    assertThat(ledger.registered("web-new", NOW.plusSeconds(3)))
        .contains(new ReplacementLedger.Replaced("web", Duration.ofSeconds(3)));
  }

  @Test
  void aPlanThatFailsToCommitOwesNoReplacement() throws Exception {
    AssignmentRecord dead = assignment("web-dead");
    view.wanting("web", 2, List.of(dead, assignment("web-alive")));
    decider.plans.put("web", new Plan("web", 1, List.of(new Plan.Start("n1", "web-new", Map.of())), List.of(),
        List.of(dead), Optional.empty(), false, Optional.empty(), Optional.empty()));
    writer.failing.add("web");
    loop.enqueue(List.of("web"));

    loop.runOnce(Duration.ZERO);

    assertThat(replaced).isEmpty();
    assertThat(ledger.registered("web-new", NOW.plusSeconds(3))).isEmpty();
  }

  @Test
  void aSetStillShortAfterItsPlanKeepsItsLossOwedForALaterStart() throws Exception {
    AssignmentRecord dead = assignment("web-dead");
    view.wanting("web", 2, List.of(dead, assignment("web-alive")));
    decider.plans.put("web", new Plan("web", 1, List.of(), List.of(), List.of(dead), Optional.empty(), false,
        Optional.empty(), Optional.of(Duration.ofSeconds(1)))); // in its backoff: nothing started yet
    loop.enqueue(List.of("web"));
    loop.runOnce(Duration.ZERO);
    assertThat(ledger.owed("web")).isEqualTo(1);

    view.wanting("web", 2, List.of(assignment("web-alive")));
    decider.plans.put("web", starting("web", "n1"));
    loop.enqueue(List.of("web"));
    loop.runOnce(Duration.ZERO);

    assertThat(ledger.owed("web")).isZero();
    assertThat(ledger.registered("web-1", NOW.plusSeconds(5)))
        .contains(new ReplacementLedger.Replaced("web", Duration.ofSeconds(5)));
  }

  @Test
  void aLossOwedIsDroppedOnceTheSetLacksNoCopyEvenWhenItsPlanWritesNothing() throws Exception {
    AssignmentRecord dead = assignment("web-dead");
    view.wanting("web", 2, List.of(dead, assignment("web-alive")));
    decider.plans.put("web", new Plan("web", 1, List.of(), List.of(), List.of(dead), Optional.empty(), false,
        Optional.empty(), Optional.of(Duration.ofSeconds(1))));
    loop.enqueue(List.of("web"));
    loop.runOnce(Duration.ZERO);
    assertThat(ledger.owed("web")).isEqualTo(1);

    view.wanting("web", 1, List.of(assignment("web-alive"))); // scaled down to the copy it has
    decider.plans.remove("web");
    loop.enqueue(List.of("web"));
    loop.runOnce(Duration.ZERO);

    assertThat(ledger.owed("web")).isZero();
  }

  @Test
  void theDeadCopiesOfASetBeingDeletedAreNotReplaced() throws Exception {
    AssignmentRecord dead = assignment("gone-dead");
    decider.plans.put("gone", new Plan("gone", 1, List.of(new Plan.Start("n1", "gone-new", Map.of())), List.of(),
        List.of(dead), Optional.empty(), false, Optional.empty(), Optional.empty()));
    loop.enqueue(List.of("gone")); // the view has no spec for it

    loop.runOnce(Duration.ZERO);

    assertThat(replaced).isEmpty();
    assertThat(ledger.registered("gone-new", NOW.plusSeconds(3))).isEmpty();
  }

  private static AssignmentRecord assignment(String id) {
    return AssignmentRecord.assigned(id, id.substring(0, id.indexOf('-')), "n1", List.of("sleep", "60"), Map.of(),
        Optional.empty(), 1_000, OnPartition.KEEP_RUNNING, 1, 3, NOW);
  }

  private static Plan starting(String name, String node) {
    return plan(name, List.of(new Plan.Start(node, name + "-1", Map.of())), Optional.empty());
  }

  private static Plan plan(String name, List<Plan.Start> starts, Optional<Duration> requeueAfter) {
    return new Plan(name, 1, starts, List.of(), List.of(), Optional.empty(), false, Optional.empty(), requeueAfter);
  }

  /** Delayed adds, run when the test says. */
  private static final class ManualDelays implements WorkQueue.Delays {
    private final List<Map.Entry<Runnable, Duration>> waiting = new ArrayList<>();

    @Override
    public synchronized void schedule(Runnable add, Duration delay) {
      waiting.add(Map.entry(add, delay));
    }

    synchronized List<Duration> pending() {
      return waiting.stream().map(Map.Entry::getValue).toList();
    }

    void runAll() {
      List<Map.Entry<Runnable, Duration>> due;
      synchronized (this) {
        due = new ArrayList<>(waiting);
        waiting.clear();
      }
      due.forEach(e -> e.getKey().run());
    }

    @Override
    public void close() {}
  }

  private static final class FakeView implements ReconcileLoop.Snapshots {
    volatile boolean caughtUp = true;
    final Set<String> names = new LinkedHashSet<>();
    final Map<String, Map<String, Integer>> loadChangeSeen = new HashMap<>();
    final Map<String, Versioned<StoredReplicaSet>> specs = new HashMap<>();
    final Map<String, List<AssignmentRecord>> assignments = new HashMap<>();

    /** {@code name} is a set that wants {@code replicas} copies and has {@code assigned}. */
    void wanting(String name, int replicas, List<AssignmentRecord> assigned) {
      specs.put(name, new Versioned<>(StoredReplicaSet.of(ReplicaSetSpec.of(replicas, List.of("sleep", "60"))), 1));
      assignments.put(name, assigned);
    }

    @Override
    public boolean caughtUp() {
      return caughtUp;
    }

    @Override
    public Collection<String> replicaSetNames() {
      return names;
    }

    @Override
    public ReplicaSetSnapshot snapshot(
        String name, Instant now, Map<String, Integer> loadChange, Map<String, Set<Integer>> portsTaken) {
      loadChangeSeen.put(name, Map.copyOf(loadChange));
      return new ReplicaSetSnapshot(name, Optional.ofNullable(specs.get(name)), List.of(),
          assignments.getOrDefault(name, List.of()), Map.of(), Set.of(), CrashLoopState.HEALTHY, false, Map.of());
    }
  }

  private static final class FakeDecider implements ReconcileLoop.Decider {
    final Map<String, Plan> plans = new HashMap<>();
    final Set<String> throwing = new HashSet<>();
    final List<String> decided = new ArrayList<>();

    @Override
    public Plan decide(ReplicaSetSnapshot snapshot, Instant now) {
      decided.add(snapshot.name());
      if (throwing.contains(snapshot.name())) {
        throw new IllegalStateException("cannot decide " + snapshot.name());
      }
      return plans.getOrDefault(snapshot.name(), plan(snapshot.name(), List.of(), Optional.empty()));
    }
  }

  private static final class FakeWriter implements PlanWriter {
    final List<List<Decided>> calls = new ArrayList<>();
    final List<String> committed = new ArrayList<>();
    final Set<String> failing = new HashSet<>();
    boolean fenced;

    @Override
    public void executeAll(List<Decided> plans, Fence fence, Outcome outcome) throws FencedException {
      calls.add(List.copyOf(plans));
      if (fenced) {
        throw new FencedException(new IllegalStateException("fenced off"));
      }
      for (Decided d : plans) {
        if (failing.contains(d.plan().replicaSet())) {
          outcome.failed(d.plan(), new IllegalStateException("the node vanished"));
        } else {
          committed.add(d.plan().replicaSet());
          outcome.committed(d.plan());
        }
      }
    }
  }

  private static final class FakeLeader implements LeaderFence {
    volatile Optional<Fence> fence = Optional.of(FENCE);
    final List<Fence> rejected = new ArrayList<>();

    @Override
    public Optional<Fence> fence() {
      return fence;
    }

    @Override
    public void fenceRejected(Fence f) {
      rejected.add(f);
      fence = Optional.empty();
    }
  }
}
