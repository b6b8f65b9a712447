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
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

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
   * Prepares replacing the spec of {@code name}, read at {@code version}, with {@code stored}. A revision the view
   * does not know of yet makes the transaction fail with {@code NODEEXISTS} or {@code NONODE}, as a changed spec does
   * with {@code BADVERSION}: the caller reads again.
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
    int protect = view.rollout(name).map(r -> r.value().stableRevision()).orElse(0);
    for (int old : RevisionHistory.toPrune(view.revisions(name).keySet(), stored.revision(), protect)) {
      ops.add(client.transactionOp().delete().forPath(layout.revision(name, old)));
    }
    return new Prepared(name, new Versioned<>(stored, version + 1), revision, List.copyOf(ops));
  }

  /** Tells the view what {@code prepared} wrote, once its transaction committed, so this server's next read sees it. */
  Versioned<StoredReplicaSet> committed(Prepared prepared) {
    view.assumeSpec(prepared.name(), prepared.spec());
    view.assumeRevision(prepared.name(), prepared.revision());
    return prepared.spec();
  }
}
