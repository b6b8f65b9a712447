package io.shepherd.server.api;

import io.shepherd.api.Revision;
import io.shepherd.server.controller.RevisionHistory;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * The operations that store a spec whose revision is new, for a caller's transaction: the spec at the version read,
 * the revision's znode, and the deletion of the oldest beyond the last {@link RevisionHistory#KEPT} (never the one a
 * failed rollout goes back to). Shared by the writes that make a revision ({@link ReplicaSetStore}) and the config
 * writes that restart a set in the same transaction as the value ({@link ConfigStore}).
 */
final class NewRevision {
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ClusterView view;
  private final Clock clock;

  NewRevision(CuratorFramework client, ZkLayout layout, ClusterView view, Clock clock) {
    this.client = client;
    this.layout = layout;
    this.view = view;
    this.clock = clock;
  }

  /** The operations, not yet committed, and what to tell the view once they are. */
  record Prepared(String name, Versioned<StoredReplicaSet> spec, Revision revision, List<CuratorOp> ops) {}

  /**
   * Prepares replacing the spec of {@code name}, read at {@code version}, with {@code stored}. What it prunes from is
   * read from ZooKeeper after the spec, not from the view, which may lag behind another server's writes: a revision
   * stored since that read changed the spec too, so the transaction fails ({@code BADVERSION}, {@code NODEEXISTS} or
   * {@code NONODE}) and the caller reads again. The stable revision is read the same way; the leader may make a newer
   * one stable meanwhile, which only keeps one revision more than {@link RevisionHistory#KEPT} until the next change.
   */
  Prepared prepare(String name, StoredReplicaSet stored, int version) throws Exception {
    Revision revision = new Revision(stored.revision(), stored.spec(), clock.instant(), stored.changedBy(),
        stored.cause());
    List<CuratorOp> ops = new ArrayList<>();
    ops.add(client.transactionOp().setData().withVersion(version)
        .forPath(layout.replicaSet(name), ServerZnodes.SPEC.encode(stored)));
    if (client.checkExists().forPath(layout.revisions(name)) == null) {
      ops.add(client.transactionOp().create().forPath(layout.revisions(name))); // a set made before revisions
    }
    ops.add(client.transactionOp().create().forPath(layout.revision(name, stored.revision()),
        ServerZnodes.REVISION.encode(revision)));
    for (int old : RevisionHistory.toPrune(stored(name), stored.revision(), stableRevision(name))) {
      ops.add(client.transactionOp().delete().forPath(layout.revision(name, old)));
    }
    return new Prepared(name, new Versioned<>(stored, version + 1), revision, List.copyOf(ops));
  }

  /** The numbers of the set's stored revisions, as ZooKeeper holds them now. */
  Set<Integer> stored(String name) throws Exception {
    List<String> children;
    try {
      children = client.getChildren().forPath(layout.revisions(name));
    } catch (KeeperException.NoNodeException e) {
      return Set.of();
    }
    return children.stream().filter(c -> c.matches("[0-9]{1,9}")).map(Integer::valueOf)
        .collect(Collectors.toSet());
  }

  /** The last complete revision, as the stored rollout says now (0: none yet). */
  private int stableRevision(String name) throws Exception {
    try {
      return ServerZnodes.ROLLOUT.decode(client.getData().forPath(layout.rollout(name))).stableRevision();
    } catch (KeeperException.NoNodeException e) {
      return 0;
    }
  }

  /** Tells the view what {@code prepared} wrote, once its transaction committed, so this server's next read sees it. */
  Versioned<StoredReplicaSet> committed(Prepared prepared) {
    view.assumeSpec(prepared.name(), prepared.spec());
    view.assumeRevision(prepared.name(), prepared.revision());
    return prepared.spec();
  }
}
