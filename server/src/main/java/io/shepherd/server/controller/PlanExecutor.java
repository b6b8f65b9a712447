package io.shepherd.server.controller;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.PartitionPolicy;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Rollout;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.ConfigFile;
import io.shepherd.worker.record.LocalRestartPolicy;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * Turns a {@link Plan} into one multi-op transaction that begins with the leader's {@link Fence}: the epoch's
 * version and the latch node are checked in the same transaction as every create and delete, so a stale leader
 * writes nothing at all. Decides nothing: every choice (nodes, instance ids, ports) was made by the {@link Reconciler};
 * only timestamps are filled in here.
 */
final class PlanExecutor implements PlanWriter {
  static final int MAX_OPS_PER_TRANSACTION = 500;

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ClusterView view;
  private final Clock clock;
  private final FencedTransaction fenced;
  private final InstanceIds warmUpIds = InstanceIds.random();

  PlanExecutor(CuratorFramework client, ZkLayout layout, ClusterView view, Clock clock) {
    this.client = client;
    this.layout = layout;
    this.view = view;
    this.clock = clock;
    this.fenced = new FencedTransaction(client, layout);
  }

  /** Builds, and throws away, one operation of each kind a plan commits, with a serialized assignment. */
  void warmUp() {
    AssignmentRecord a = AssignmentRecord.assigned(warmUpIds.next("warm-up"), "warm-up", "warm-up", List.of("true"),
        Map.of(), Optional.empty(), 0, OnPartition.KEEP_RUNNING, 0, 0, clock.instant());
    String path = layout.assignment(a.nodeId(), a.instanceId());
    byte[] exited = Znodes.ASSIGNMENT.encode(a.exited(0, a.createdAt()));
    op(() -> client.transactionOp().create().forPath(path, Znodes.ASSIGNMENT.encode(a)));
    op(() -> client.transactionOp().delete().forPath(path));
    op(() -> client.transactionOp().setData().forPath(layout.status("warm-up"), exited));
    try {
      fenced.checks(new Fence(0, 0, layout.leader()));
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot build the fence's checks", e);
    }
    // A transaction of one check changes nothing, but takes the client through the multi path (its classes, the
    // request and result records) once: a standby has never sent a transaction before its first claim.
    try {
      client.transaction().forOperations(client.transactionOp().check().forPath(layout.epoch()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // No /epoch yet, or ZooKeeper away: the path has been taken all the same, or is taken at the first claim.
    }
  }

  /**
   * Commits the plans of several replica sets in as few fenced transactions as possible: whole plans, at most
   * {@link #MAX_OPS_PER_TRANSACTION} operations each. A transaction is atomic, so when one that holds several plans
   * fails for a reason other than the fence (one plan's node vanished meanwhile), nothing of it was written and its
   * plans are committed one at a time, so that one stale plan does not hold back the others. A plan that must create
   * a node's assignment parent, or is too large to share, is committed on its own.
   *
   * @throws FencedException when the fence rejects a transaction: this server no longer leads; the plans not
   *     reported committed were not written, and those after it were not tried
   */
  @Override
  public void executeAll(List<Decided> plans, Fence fence, Outcome outcome)
      throws FencedException, InterruptedException {
    List<Built> shared = new ArrayList<>();
    int sharedOps = 0;
    for (Decided d : plans) {
      Built b;
      try {
        b = new Built(d.plan(), steps(d.plan(), d.snapshot(), fence));
      } catch (RuntimeException e) {
        outcome.failed(d.plan(), e);
        continue;
      }
      int ops = b.steps().size();
      if (ops > MAX_OPS_PER_TRANSACTION || !parentsExist(d.plan())) {
        executeOne(b, fence, outcome);
        continue;
      }
      if (sharedOps + ops > MAX_OPS_PER_TRANSACTION) {
        executeShared(shared, fence, outcome);
        shared = new ArrayList<>();
        sharedOps = 0;
      }
      shared.add(b);
      sharedOps += ops;
    }
    executeShared(shared, fence, outcome);
  }

  /** A plan and the operations built for it: what a transaction holds is counted from these. */
  private record Built(Plan plan, List<Step> steps) {}

  private void executeShared(List<Built> plans, Fence fence, Outcome outcome)
      throws FencedException, InterruptedException {
    if (plans.size() <= 1) {
      for (Built b : plans) {
        executeOne(b, fence, outcome);
      }
      return;
    }
    List<Step> steps = new ArrayList<>();
    plans.forEach(b -> steps.addAll(b.steps()));
    try {
      commit(steps.stream().map(Step::op).toList(), fence);
    } catch (FencedException | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      for (Built b : plans) {
        executeOne(b, fence, outcome);
      }
      return;
    }
    steps.forEach(step -> step.committed().run());
    plans.forEach(b -> outcome.committed(b.plan()));
  }

  private void executeOne(Built b, Fence fence, Outcome outcome) throws FencedException, InterruptedException {
    try {
      commitInParts(b.steps(), fence);
    } catch (FencedException | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      outcome.failed(b.plan(), e);
      return;
    }
    outcome.committed(b.plan());
  }

  private boolean parentsExist(Plan plan) {
    return plan.startOn().stream().allMatch(view::hasAssignmentParent);
  }

  /**
   * Commits one plan's {@code steps} in transactions of at most {@link #MAX_OPS_PER_TRANSACTION} operations, in
   * order; the view learns each part's writes once it is committed. A part that fails writes nothing of itself.
   */
  private void commitInParts(List<Step> steps, Fence fence) throws Exception {
    for (int from = 0; from < steps.size(); from += MAX_OPS_PER_TRANSACTION) {
      List<Step> part = steps.subList(from, Math.min(steps.size(), from + MAX_OPS_PER_TRANSACTION));
      commit(part.stream().map(Step::op).toList(), fence);
      part.forEach(step -> step.committed().run());
    }
  }

  /**
   * The plan's operations, each with what the view learns once it is committed: what a transaction holds is counted
   * from these. A node's assignment parent is created before its first new assignment when the view has none.
   */
  private List<Step> steps(Plan plan, ReplicaSetSnapshot snapshot, Fence fence) {
    List<Step> steps = new ArrayList<>();
    List<AssignmentRecord> created = new ArrayList<>();
    if (!plan.startOn().isEmpty()) {
      ReplicaSetSpec spec = snapshot.spec().orElseThrow().value().spec();
      for (Plan.Start start : plan.starts()) {
        String nodeId = start.nodeId();
        AssignmentRecord a = AssignmentRecord.assigned(start.instanceId(), plan.replicaSet(), nodeId,
            spec.command(), spec.env(), spec.workingDir(), spec.stopGraceMs(), onPartition(spec.partitionPolicy()),
            plan.specVersion(), fence.epoch(), clock.instant(), start.ports())
            .withProbes(SpecProbes.of(spec))
            .withRestartPolicy(restartPolicy(spec))
            .withRevision(snapshot.spec().orElseThrow().value().revision())
            .withConfigFile(Optional.ofNullable(spec.configFile())
                .map(f -> new ConfigFile(f.path(), f.format(), f.onChange())));
        if (!view.hasAssignmentParent(nodeId) && created.stream().noneMatch(c -> c.nodeId().equals(nodeId))) {
          steps.add(new Step(op(() -> client.transactionOp().create().forPath(layout.assignmentsOf(nodeId))),
              () -> { }));
        }
        steps.add(new Step(op(() -> client.transactionOp().create()
            .forPath(layout.assignment(nodeId, a.instanceId()), Znodes.ASSIGNMENT.encode(a))),
            () -> view.assumeCreated(a)));
        created.add(a);
      }
    }
    List<AssignmentRecord> gone = new ArrayList<>(plan.stop());
    gone.addAll(plan.cleanUp());
    for (AssignmentRecord a : gone) {
      String path = layout.assignment(a.nodeId(), a.instanceId());
      // Only as decided on: an agent that registered the copy meanwhile (a "dead" copy that is alive after all)
      // fails the transaction, and the next reconcile sees the copy live.
      int version = snapshot.assignmentVersions().getOrDefault(a.instanceId(), -1);
      steps.add(new Step(op(() -> client.transactionOp().delete().withVersion(version).forPath(path)),
          () -> view.assumeDeleted(path)));
    }
    String name = plan.replicaSet();
    if (plan.crashLoop().isPresent() && !plan.removeReplicaSet()) {
      steps.add(new Step(op(() -> client.transactionOp().setData()
          .forPath(layout.status(name), ServerZnodes.CRASH_LOOP.encode(plan.crashLoop().get()))),
          () -> view.assumeCrashLoop(name, plan.crashLoop().get())));
    }
    if (plan.rollout().isPresent() && !plan.removeReplicaSet()) {
      Rollout rollout = plan.rollout().get();
      byte[] data = ServerZnodes.ROLLOUT.encode(rollout);
      Optional<Versioned<Rollout>> stored = snapshot.rollout();
      if (stored.isEmpty()) {
        steps.add(new Step(op(() -> client.transactionOp().create().forPath(layout.rollout(name), data)),
            () -> view.assumeRollout(name, new Versioned<>(rollout, 0))));
      } else {
        int version = stored.get().version();
        steps.add(new Step(op(() -> client.transactionOp().setData().withVersion(version)
            .forPath(layout.rollout(name), data)), () -> view.assumeRollout(name, new Versioned<>(rollout, version + 1))));
      }
    }
    if (plan.revert().isPresent() && !plan.removeReplicaSet()) {
      StoredReplicaSet reverted = plan.revert().get();
      // At the version decided from: a user's change meanwhile wins, and the next reconcile decides again.
      steps.add(new Step(op(() -> client.transactionOp().setData().withVersion(plan.specVersion())
          .forPath(layout.replicaSet(name), ServerZnodes.SPEC.encode(reverted))),
          () -> view.assumeSpec(name, new Versioned<>(reverted, plan.specVersion() + 1))));
      // The spec's version check above orders this against a user's undo of the same revision, which writes the spec
      // too; the revision a failed rollout goes back to is never pruned.
      plan.restored().ifPresent(restored -> steps.add(new Step(op(() -> client.transactionOp().setData()
          .forPath(layout.revision(name, restored.revision()), ServerZnodes.REVISION.encode(restored))),
          () -> view.assumeRevision(name, restored))));
    }
    if (plan.removeReplicaSet()) {
      if (snapshot.rollout().isPresent()) {
        steps.add(new Step(op(() -> client.transactionOp().delete().forPath(layout.rollout(name))), () -> { }));
      }
      for (int revision : snapshot.revisions().keySet()) {
        steps.add(new Step(op(() -> client.transactionOp().delete().forPath(layout.revision(name, revision))),
            () -> { }));
      }
      if (view.hasRevisionsParent(name)) {
        steps.add(new Step(op(() -> client.transactionOp().delete().forPath(layout.revisions(name))), () -> { }));
      }
      steps.add(new Step(op(() -> client.transactionOp().delete().forPath(layout.status(name))), () -> { }));
      steps.add(new Step(op(() -> client.transactionOp().delete().forPath(layout.instances(name))), () -> { }));
      steps.add(new Step(op(() -> client.transactionOp().delete().withVersion(plan.specVersion())
          .forPath(layout.replicaSet(name))), () -> view.assumeDeleted(layout.replicaSet(name))));
    }
    return steps;
  }

  private interface OpBuilder {
    CuratorOp build() throws Exception;
  }

  /** Building an operation only checks the path; Curator declares Exception for it. */
  private static CuratorOp op(OpBuilder builder) {
    try {
      return builder.build();
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot build a transaction operation", e);
    }
  }

  /** One operation and what the view learns once it is committed. */
  private record Step(CuratorOp op, Runnable committed) {}

  /**
   * Commits one fenced transaction. A large plan (an agent with thousands of copies lost) is split so that no
   * transaction nears ZooKeeper's 1 MiB request limit; each part is fenced, and a part that fails leaves the rest
   * to the next reconcile, which sees what did commit.
   */
  private void commit(List<CuratorOp> part, Fence fence) throws Exception {
    try {
      fenced.commit(fence, part);
    } catch (KeeperException e) {
      if (FencedTransaction.Refusal.of(e).fenced()) {
        throw new FencedException(e);
      }
      throw e;
    }
  }

  private static OnPartition onPartition(PartitionPolicy policy) {
    return policy == PartitionPolicy.STOP ? OnPartition.STOP : OnPartition.KEEP_RUNNING;
  }

  /** What the agent needs to restart a copy in place: the spec's restart and crash-loop policies. */
  static LocalRestartPolicy restartPolicy(ReplicaSetSpec spec) {
    CrashLoopPolicy c = spec.crashLoop();
    return new LocalRestartPolicy(spec.restart().localAttempts(), spec.restart().windowMs(), c.minUptimeMs(),
        c.initialBackoffMs(), c.maxBackoffMs(), c.resetAfterMs());
  }
}
