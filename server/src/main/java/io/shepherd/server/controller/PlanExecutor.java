package io.shepherd.server.controller;

import io.shepherd.api.PartitionPolicy;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.state.ClusterView;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * Turns a {@link Plan} into one multi-op transaction that begins with the leader's {@link Fence}: the epoch's
 * version and the latch node are checked in the same transaction as every create and delete, so a stale leader
 * writes nothing at all. Decides nothing: every choice was made by the {@link Reconciler}; only instance ids (random)
 * and timestamps are filled in here.
 */
final class PlanExecutor {
  private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ClusterView view;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  PlanExecutor(CuratorFramework client, ZkLayout layout, ClusterView view, Clock clock) {
    this.client = client;
    this.layout = layout;
    this.view = view;
    this.clock = clock;
  }

  /** Thrown when the fence check failed: this server no longer leads (or has not yet learned that it does). */
  static final class FencedException extends Exception {
    FencedException(Throwable cause) {
      super("the fence rejected the transaction", cause);
    }
  }

  /**
   * Commits the plan; on success the view learns the writes at once. On failure nothing was written.
   *
   * @return the assignments created
   */
  List<AssignmentRecord> execute(Plan plan, ReplicaSetSnapshot snapshot, Fence fence) throws Exception {
    List<CuratorOp> ops = new ArrayList<>();
    ops.add(client.transactionOp().check().withVersion(fence.epochVersion()).forPath(layout.epoch()));
    ops.add(client.transactionOp().check().forPath(fence.latchPath()));
    int fenceOps = ops.size();

    List<AssignmentRecord> created = new ArrayList<>();
    if (!plan.startOn().isEmpty()) {
      ReplicaSetSpec spec = snapshot.spec().orElseThrow().value().spec();
      for (String nodeId : plan.startOn()) {
        AssignmentRecord a = AssignmentRecord.assigned(newInstanceId(plan.replicaSet()), plan.replicaSet(), nodeId,
            spec.command(), spec.env(), spec.workingDir(), spec.stopGraceMs(), onPartition(spec.partitionPolicy()),
            plan.specVersion(), fence.epoch(), clock.instant());
        if (!view.hasAssignmentParent(nodeId) && created.stream().noneMatch(c -> c.nodeId().equals(nodeId))) {
          ops.add(client.transactionOp().create().forPath(layout.assignmentsOf(nodeId)));
        }
        ops.add(client.transactionOp().create().forPath(layout.assignment(nodeId, a.instanceId()), RecordCodec.write(a)));
        created.add(a);
      }
    }
    List<String> deleted = new ArrayList<>();
    for (AssignmentRecord a : plan.stop()) {
      deleted.add(layout.assignment(a.nodeId(), a.instanceId()));
    }
    for (AssignmentRecord a : plan.cleanUp()) {
      deleted.add(layout.assignment(a.nodeId(), a.instanceId()));
    }
    for (String path : deleted) {
      ops.add(client.transactionOp().delete().forPath(path));
    }
    if (plan.crashLoop().isPresent() && !plan.removeReplicaSet()) {
      ops.add(client.transactionOp().setData()
          .forPath(layout.status(plan.replicaSet()), RecordCodec.write(plan.crashLoop().get())));
    }
    if (plan.removeReplicaSet()) {
      String name = plan.replicaSet();
      ops.add(client.transactionOp().delete().forPath(layout.status(name)));
      ops.add(client.transactionOp().delete().forPath(layout.instances(name)));
      ops.add(client.transactionOp().delete().withVersion(plan.specVersion()).forPath(layout.replicaSet(name)));
      deleted.add(layout.replicaSet(name));
    }

    try {
      client.transaction().forOperations(ops);
    } catch (KeeperException e) {
      if (fenceFailed(e, fenceOps)) {
        throw new FencedException(e);
      }
      throw e;
    }
    created.forEach(view::assumeCreated);
    deleted.forEach(view::assumeDeleted);
    plan.crashLoop().ifPresent(s -> view.assumeCrashLoop(plan.replicaSet(), s));
    return created;
  }

  /** Whether one of the fence's checks is what failed. */
  private static boolean fenceFailed(KeeperException e, int fenceOps) {
    var results = e.getResults();
    if (results == null) {
      return false;
    }
    for (int i = 0; i < Math.min(fenceOps, results.size()); i++) {
      if (results.get(i) instanceof org.apache.zookeeper.OpResult.ErrorResult err
          && err.getErr() != KeeperException.Code.OK.intValue()
          && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
        return true;
      }
    }
    return false;
  }

  private static OnPartition onPartition(PartitionPolicy policy) {
    return policy == PartitionPolicy.STOP ? OnPartition.STOP : OnPartition.KEEP_RUNNING;
  }

  private String newInstanceId(String replicaSet) {
    char[] suffix = new char[8];
    for (int i = 0; i < suffix.length; i++) {
      suffix[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
    }
    return replicaSet + "-" + new String(suffix);
  }
}
