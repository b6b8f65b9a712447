package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.BackgroundCallback;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's writes of a copy's life, all asynchronous (Curator {@code inBackground}): none blocks its caller,
 * results arrive on Curator's event thread. Each method hands its outcome to its callback exactly once; a call
 * that fails before reaching ZooKeeper reports {@link Code#SYSTEMERROR}.
 */
final class InstanceWrites {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceWrites.class);
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final String nodeId;
  private final String host;

  InstanceWrites(CuratorFramework client, ZkLayout layout, String nodeId, String host) {
    this.client = client;
    this.layout = layout;
    this.nodeId = nodeId;
    this.host = host;
  }

  String assignmentPath(String instanceId) {
    return layout.assignment(nodeId, instanceId);
  }

  String instancePath(Copy copy) {
    return layout.instance(copy.replicaSet(), copy.instanceId());
  }

  /**
   * One transaction: the assignment still has {@code assignmentVersion}; create the ephemeral instance in this
   * session; set the assignment RUNNING. NONODE means the assignment or the replica set is gone.
   */
  void register(Copy copy, int assignmentVersion, IntConsumer onResult) {
    String assignment = assignmentPath(copy.instanceId());
    run(onResult, () -> client.transaction().inBackground(codeOf(onResult)).forOperations(
        client.transactionOp().check().withVersion(assignmentVersion).forPath(assignment),
        client.transactionOp().create().withMode(CreateMode.EPHEMERAL)
            .forPath(instancePath(copy), Znodes.INSTANCE.encode(copy.instanceRecord(host))),
        client.transactionOp().setData().withVersion(assignmentVersion)
            .forPath(assignment, Znodes.ASSIGNMENT.encode(copy.runningRecord()))));
  }

  /**
   * Records an exit: deletes the instance (if it may exist) and sets the assignment EXITED (if the cache has it),
   * in one transaction when both are due. Should either node be gone, the other is written alone. Reports
   * whether everything that existed was written.
   */
  void recordExit(Copy copy, Copy.Exit exit, boolean assignmentExists, Consumer<Boolean> onDone) {
    AssignmentRecord running = copy.runningRecord();
    recordEnded(copy, exit.stoppedBecause()
        .map(why -> copy.stopIsFailure()
            ? running.failedProbe(exit.code(), exit.at(), why)
            : running.stoppedByAgent(exit.code(), exit.at(), why))
        .orElseGet(() -> running.exited(exit.code(), exit.at())), assignmentExists, onDone);
  }

  /**
   * Records the end of a copy's process with the assignment as {@code after} (EXITED, or BACKOFF when its agent
   * restarts it later): deletes the instance and sets the assignment, in one transaction when both are due.
   */
  void recordEnded(Copy copy, AssignmentRecord after, boolean assignmentExists, Consumer<Boolean> onDone) {
    List<CuratorOp> ops = new ArrayList<>();
    String instance = instancePath(copy);
    String assignment = assignmentPath(copy.instanceId());
    byte[] exited = Znodes.ASSIGNMENT.encode(after);
    boolean deleteInstance = copy.instanceMayExist();
    if (deleteInstance) {
      ops.add(op(() -> client.transactionOp().delete().forPath(instance)));
    }
    if (assignmentExists) {
      ops.add(op(() -> client.transactionOp().setData().forPath(assignment, exited)));
    }
    if (ops.size() < 2) {
      separately(deleteInstance ? instance : null, assignmentExists ? assignment : null, exited, onDone);
      return;
    }
    IntConsumer result = rc -> {
      if (rc == Code.OK.intValue()) {
        onDone.accept(true);
      } else if (rc == Code.NONODE.intValue()) {
        separately(instance, assignment, exited, onDone);
      } else {
        onDone.accept(false);
      }
    };
    run(result, () -> client.transaction().inBackground(codeOf(result)).forOperations(ops));
  }

  /**
   * A restart in place, one transaction: delete the ended process's instance (if it may exist), create the new
   * process's instance in this session, set the assignment RUNNING with the new pid and its restart count. NONODE
   * means the assignment or the replica set is gone.
   */
  void restart(Copy ended, Copy fresh, IntConsumer onResult) {
    List<CuratorOp> ops = new ArrayList<>();
    if (ended.instanceMayExist()) {
      ops.add(op(() -> client.transactionOp().delete().forPath(instancePath(ended))));
    }
    ops.add(op(() -> client.transactionOp().create().withMode(CreateMode.EPHEMERAL)
        .forPath(instancePath(fresh), Znodes.INSTANCE.encode(fresh.instanceRecord(host)))));
    ops.add(op(() -> client.transactionOp().setData()
        .forPath(assignmentPath(fresh.instanceId()), Znodes.ASSIGNMENT.encode(fresh.runningRecord()))));
    run(onResult, () -> client.transaction().inBackground(codeOf(onResult)).forOperations(ops));
  }

  /** Writes {@code ended}, an assignment that ended without an exit to record, if it still has {@code version}. */
  void recordEnd(AssignmentRecord ended, int version, IntConsumer onResult) {
    byte[] data = Znodes.ASSIGNMENT.encode(ended);
    run(onResult, () -> client.setData().withVersion(version).inBackground(codeOf(onResult))
        .forPath(assignmentPath(ended.instanceId()), data));
  }

  /** The two writes of an exit on their own, each content with a node that is already gone. */
  private void separately(String instance, String assignment, byte[] exited, Consumer<Boolean> onDone) {
    AtomicInteger pending = new AtomicInteger((instance == null ? 0 : 1) + (assignment == null ? 0 : 1));
    AtomicBoolean ok = new AtomicBoolean(true);
    if (pending.get() == 0) {
      onDone.accept(true);
      return;
    }
    IntConsumer one = rc -> {
      if (rc != Code.OK.intValue() && rc != Code.NONODE.intValue()) {
        ok.set(false);
      }
      if (pending.decrementAndGet() == 0) {
        onDone.accept(ok.get());
      }
    };
    if (instance != null) {
      run(one, () -> client.delete().inBackground(codeOf(one)).forPath(instance));
    }
    if (assignment != null) {
      run(one, () -> client.setData().inBackground(codeOf(one)).forPath(assignment, exited));
    }
  }

  private static BackgroundCallback codeOf(IntConsumer onResult) {
    return (c, event) -> onResult.accept(event.getResultCode());
  }

  private interface ZkCall {
    Object call() throws Exception;
  }

  private static void run(IntConsumer onResult, ZkCall call) {
    try {
      call.call();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // Background calls report through their callback; this is a failure before the request was queued.
      LOG.error("cannot queue a ZooKeeper write", e);
      onResult.accept(Code.SYSTEMERROR.intValue());
    }
  }

  private static CuratorOp op(ZkCallOp call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException("cannot build a transaction operation", e);
    }
  }

  private interface ZkCallOp {
    CuratorOp call() throws Exception;
  }
}
