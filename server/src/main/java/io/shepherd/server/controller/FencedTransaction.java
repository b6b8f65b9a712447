package io.shepherd.server.controller;

import io.shepherd.worker.zk.ZkLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;

/**
 * A controller write under the leader's {@link Fence}: one multi-op transaction that first checks {@code /epoch}'s
 * version and this server's latch node, then applies the caller's operations. A stale leader's transaction fails as
 * a whole. The one place that builds the fence's checks and reads a refusal back.
 */
final class FencedTransaction {
  /** How many operations the fence puts before the caller's. */
  static final int FENCE_OPS = 2;

  private final CuratorFramework client;
  private final ZkLayout layout;

  FencedTransaction(CuratorFramework client, ZkLayout layout) {
    this.client = client;
    this.layout = layout;
  }

  /**
   * Commits {@code ops} after the fence's checks, all or nothing.
   *
   * @throws KeeperException when ZooKeeper refused the transaction; {@link Refusal#of} says which operation did
   */
  void commit(Fence fence, List<CuratorOp> ops) throws Exception {
    List<CuratorOp> all = new ArrayList<>(ops.size() + FENCE_OPS);
    all.addAll(checks(fence));
    all.addAll(ops);
    client.transaction().forOperations(all);
  }

  /** The fence's checks, in the order {@link Refusal#of} expects them. */
  List<CuratorOp> checks(Fence fence) throws Exception {
    return List.of(
        client.transactionOp().check().withVersion(fence.epochVersion()).forPath(layout.epoch()),
        client.transactionOp().check().forPath(fence.latchPath()));
  }

  /**
   * What refused a fenced transaction.
   *
   * @param fenced   one of the fence's checks failed: this server no longer leads (or has not yet learned it does)
   * @param failedOp the caller's operation that failed (an index into the operations given to {@link #commit}),
   *                 when it was not the fence and ZooKeeper said which
   * @param code     the failed operation's error, or the transaction's when ZooKeeper gave no per-operation results
   */
  record Refusal(boolean fenced, OptionalInt failedOp, KeeperException.Code code) {
    static Refusal of(KeeperException e) {
      return of(e.getResults(), e.code());
    }

    /**
     * Reads a refusal from the per-operation results of a failed multi: ZooKeeper marks the operation that failed
     * with its error, those after it RUNTIMEINCONSISTENCY, and those before it OK.
     */
    static Refusal of(List<OpResult> results, KeeperException.Code code) {
      if (results == null) {
        return new Refusal(false, OptionalInt.empty(), code);
      }
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) instanceof OpResult.ErrorResult r && r.getErr() != KeeperException.Code.OK.intValue()
            && r.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
          KeeperException.Code failed = KeeperException.Code.get(r.getErr());
          return i < FENCE_OPS ? new Refusal(true, OptionalInt.empty(), failed)
              : new Refusal(false, OptionalInt.of(i - FENCE_OPS), failed);
        }
      }
      return new Refusal(false, OptionalInt.empty(), code);
    }

    /** Whether the caller's operation {@code op} is what failed, with one of {@code codes}. */
    boolean failedAt(int op, KeeperException.Code... codes) {
      if (failedOp.isEmpty() || failedOp.getAsInt() != op) {
        return false;
      }
      for (KeeperException.Code c : codes) {
        if (c == code) {
          return true;
        }
      }
      return false;
    }
  }
}
