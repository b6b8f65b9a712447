package io.shepherd.server.controller;

import io.shepherd.worker.record.AssignmentRecord;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's reconcile loop: one thread drains the {@link WorkQueue} a batch at a time, reads a snapshot of each
 * replica set, asks the pure {@link Reconciler} for a {@link Plan} and has the {@link PlanWriter} commit the plans
 * under the {@link LeaderFence}'s fence. A failed commit is retried with a backoff, a plan's {@code requeueAfter}
 * brings its replica set back, and a fence rejection gives the leadership up. Its only side effects go through
 * {@link PlanWriter} and {@link LeaderFence}, so it is tested without ZooKeeper.
 */
final class ReconcileLoop implements QueueControl, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
  /** At most this many queued replica sets are decided, and their plans committed, together. */
  static final int MAX_BATCH = 64;

  /** What the loop reads: the view, through the controller's bookkeeping. */
  interface Snapshots {
    /** Whether the view has caught up with ZooKeeper: nothing is decided before. */
    boolean caughtUp();

    /** Every replica set the view knows. */
    Collection<String> replicaSetNames();

    /**
     * A snapshot whose node loads are changed by {@code loadChange} and whose nodes' ports include
     * {@code portsTaken}: plans decided but not yet committed.
     */
    ReplicaSetSnapshot snapshot(
        String name, Instant now, Map<String, Integer> loadChange, Map<String, Set<Integer>> portsTaken);
  }

  /** The decision: {@link Reconciler#reconcile} in a server. */
  @FunctionalInterface
  interface Decider {
    Plan decide(ReplicaSetSnapshot snapshot, Instant now);
  }

  private final WorkQueue queue;
  private final Snapshots snapshots;
  private final Decider decider;
  private final PlanWriter writer;
  private final LeaderFence leader;
  private final Clock clock;
  private final ControllerHooks hooks;
  private final ReplacementLedger replacements;
  private final Map<String, Plan.Unschedulable> lastLoggedUnschedulable = new ConcurrentHashMap<>();
  private final Thread thread = new Thread(this::run, "shepherd-reconcile");
  private volatile boolean running;

  ReconcileLoop(WorkQueue queue, Snapshots snapshots, Decider decider, PlanWriter writer, LeaderFence leader,
      Clock clock, ControllerHooks hooks, ReplacementLedger replacements) {
    this.queue = queue;
    this.snapshots = snapshots;
    this.decider = decider;
    this.writer = writer;
    this.leader = leader;
    this.clock = clock;
    this.hooks = hooks;
    this.replacements = replacements;
  }

  void start() {
    running = true;
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues replica sets named by a change, while this server leads. */
  void enqueue(Collection<String> names) {
    if (!names.isEmpty() && leader.isLeader()) {
      names.forEach(queue::add);
    }
  }

  void enqueueAfter(Collection<String> names, Duration delay) {
    if (!names.isEmpty() && leader.isLeader()) {
      names.forEach(name -> queue.addAfter(name, delay));
    }
  }

  /** Queues every replica set, once the view has caught up and while this server leads. */
  void enqueueAll() {
    if (snapshots.caughtUp() && leader.isLeader()) {
      snapshots.replicaSetNames().forEach(queue::add);
    }
  }

  private void run() {
    while (running) {
      try {
        runOnce(Duration.ofMillis(250));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("reconcile loop error", e);
      }
    }
  }

  /**
   * Takes the names waiting (waiting at most {@code wait} for one) and reconciles them as one batch.
   *
   * @return how many names were taken
   */
  int runOnce(Duration wait) throws InterruptedException {
    List<String> names = queue.pollBatch(wait, MAX_BATCH);
    if (!names.isEmpty()) {
      try {
        reconcile(names);
      } finally {
        queue.done(names.size());
      }
    }
    return names.size();
  }

  /**
   * Decides every replica set of the batch from the view, then commits the plans that write together, in as few
   * fenced transactions as the writer can: after an agent with thousands of copies is lost, a hundred replica sets
   * need one round trip to ZooKeeper instead of a hundred in a row. Node loads seen by later plans include the copies
   * earlier plans of the batch start or stop, so placement stays balanced.
   */
  private void reconcile(List<String> names) {
    Optional<Fence> fence = leader.fence();
    if (fence.isEmpty() || !snapshots.caughtUp()) {
      return; // Winning leadership or the ingest catching up re-queues everything.
    }
    long began = System.nanoTime();
    try {
      decideAndCommit(names, fence.get());
    } finally {
      hooks.observer().reconciled(names.size(), Duration.ofNanos(System.nanoTime() - began));
    }
  }

  private void decideAndCommit(List<String> names, Fence fence) {
    Instant now = clock.instant();
    Map<String, Integer> loadChange = new HashMap<>();
    Map<String, Set<Integer>> portsTaken = new HashMap<>();
    List<PlanWriter.Decided> decided = new ArrayList<>();
    Set<String> wanted = new HashSet<>();
    Set<String> lacking = new HashSet<>();
    for (String name : names) {
      ReplicaSetSnapshot snapshot;
      Plan plan;
      try {
        snapshot = snapshots.snapshot(name, now, loadChange, portsTaken);
        plan = decider.decide(snapshot, now);
      } catch (RuntimeException e) {
        LOG.error("{}: cannot decide, will retry", name, e);
        queue.retry(name);
        continue;
      }
      if (!plan.writes()) {
        if (!stillShort(snapshot, plan)) {
          replacements.planned(name, List.of(), List.of(), List.of(), false, now); // whole: no loss is owed any more
        }
        finished(name, plan);
        continue;
      }
      try {
        hooks.commitHook().beforeCommit(plan);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      decided.add(new PlanWriter.Decided(plan, snapshot));
      if (snapshot.spec().map(v -> !v.value().deleting()).orElse(false)) {
        wanted.add(name);
        if (stillShort(snapshot, plan)) {
          lacking.add(name);
        }
      }
      plan.startOn().forEach(node -> loadChange.merge(node, 1, Integer::sum));
      plan.starts().forEach(st -> portsTaken.computeIfAbsent(st.nodeId(), n -> new HashSet<>())
          .addAll(st.ports().values()));
      plan.stop().forEach(a -> loadChange.merge(a.nodeId(), -1, Integer::sum));
      plan.cleanUp().forEach(a -> loadChange.merge(a.nodeId(), -1, Integer::sum));
    }
    try {
      writer.executeAll(decided, fence, new PlanWriter.Outcome() {
        @Override
        public void committed(Plan plan) {
          LOG.debug("{}: started {} stopped {} cleaned {}", plan.replicaSet(), plan.startOn().size(),
              plan.stop().size(), plan.cleanUp().size());
          if (wanted.contains(plan.replicaSet()) && !plan.cleanUp().isEmpty()) {
            // Dead copies deleted from a set that still wants copies are replaced: the leader's reschedules.
            hooks.observer().replacing(plan.replicaSet(), plan.cleanUp().size());
          }
          if (wanted.contains(plan.replicaSet())) {
            replacements.planned(plan.replicaSet(), ids(plan.cleanUp()), ids(plan.stop()),
                plan.starts().stream().map(Plan.Start::instanceId).toList(), lacking.contains(plan.replicaSet()), now);
          } else {
            replacements.forget(plan.replicaSet());
          }
          finished(plan.replicaSet(), plan);
        }

        @Override
        public void failed(Plan plan, Exception e) {
          LOG.info("{}: reconcile failed, will retry: {}", plan.replicaSet(), e.toString());
          queue.retry(plan.replicaSet());
        }
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (PlanWriter.FencedException e) {
      leader.fenceRejected(fence);
    }
  }

  /** Whether the set has fewer assignments than it wants once the plan is committed: copies to start later. */
  private static boolean stillShort(ReplicaSetSnapshot snapshot, Plan plan) {
    int desired = snapshot.spec().map(v -> v.value().desired()).orElse(0);
    int after = snapshot.assignments().size() - plan.cleanUp().size() - plan.stop().size() + plan.starts().size();
    return after < desired;
  }

  private static List<String> ids(List<AssignmentRecord> assignments) {
    return assignments.stream().map(AssignmentRecord::instanceId).toList();
  }

  /** The plan is decided and, if it writes, committed: what comes next for its replica set. */
  private void finished(String name, Plan plan) {
    logUnschedulable(name, plan);
    queue.forget(name);
    plan.requeueAfter().ifPresent(d -> queue.addAfter(name, d));
  }

  /** Logs when a replica set starts or stops being unschedulable, not at every reconcile. */
  private void logUnschedulable(String name, Plan plan) {
    if (plan.unschedulable().isPresent()) {
      Plan.Unschedulable u = plan.unschedulable().get();
      if (!u.equals(lastLoggedUnschedulable.put(name, u))) {
        LOG.warn("{}: {} copies cannot be scheduled: {}", name, u.copies(), u.reason());
      }
    } else {
      lastLoggedUnschedulable.remove(name);
    }
  }

  // ---- QueueControl: for tests and benchmarks -------------------------------------------------------------------

  @Override
  public void resyncNow() {
    enqueueAll();
  }

  @Override
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return queue.awaitIdle(timeout);
  }

  @Override
  public void pause() {
    queue.pause();
  }

  @Override
  public void resume() {
    queue.resume();
  }

  @Override
  public void dropQueued() {
    queue.clear();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queue.close();
  }
}
