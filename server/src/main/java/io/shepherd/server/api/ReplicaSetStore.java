package io.shepherd.server.api;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The API's writes: specs, scale, delete, kill. Every write is a compare-and-set on the spec znode's version (the
 * ETag): with {@code If-Match} the caller's version, without it the version just read (retried on a race). A
 * write either happens whole or not at all. Committed writes are applied to the view at once, so this server's
 * next read sees them.
 */
public final class ReplicaSetStore implements ReplicaSetWrites {
  private static final int MAX_ATTEMPTS = 10;

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ClusterView view;
  private final ExposeClaims claims;

  public ReplicaSetStore(CuratorFramework client, ZkLayout layout, ClusterView view) {
    this.client = client;
    this.layout = layout;
    this.view = view;
    this.claims = new ExposeClaims(client, layout);
  }

  /** Creates the replica set, or replaces its spec. */
  @Override
  public Applied apply(String name, ReplicaSetSpec spec, OptionalInt ifMatch) throws Exception {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Stat stat = new Stat();
      StoredReplicaSet current;
      try {
        current = RecordCodec.read(client.getData().storingStatIn(stat).forPath(layout.replicaSet(name)),
            StoredReplicaSet.class);
      } catch (KeeperException.NoNodeException e) {
        if (ifMatch.isPresent()) {
          throw ApiException.preconditionFailed("replica set " + name + " does not exist, so If-Match cannot match");
        }
        try {
          return new Applied(create(name, spec), true);
        } catch (KeeperException.NodeExistsException raced) {
          continue;
        }
      }
      if (current.deleting()) {
        throw ApiException.conflict("replica set " + name + " is being deleted; apply it again once it is gone");
      }
      try {
        return new Applied(write(name, current, StoredReplicaSet.of(spec), checkedVersion(stat, ifMatch)), false);
      } catch (KeeperException.BadVersionException e) {
        if (ifMatch.isPresent()) {
          throw mismatch(name);
        }
      }
    }
    throw ApiException.conflict("replica set " + name + " changed too often under this request; try again");
  }

  /** Sets the replica count, keeping the rest of the spec. */
  @Override
  public Versioned<StoredReplicaSet> scale(String name, int replicas, OptionalInt ifMatch) throws Exception {
    return update(name, ifMatch, s -> {
      if (s.deleting()) {
        throw ApiException.conflict("replica set " + name + " is being deleted");
      }
      return StoredReplicaSet.of(s.spec().withReplicas(replicas));
    });
  }

  /** Marks the replica set deleting: the leader stops every copy, then removes it. */
  @Override
  public Versioned<StoredReplicaSet> delete(String name, OptionalInt ifMatch) throws Exception {
    return update(name, ifMatch, StoredReplicaSet::markDeleting);
  }

  /**
   * Stops one copy by deleting its assignment; its agent stops it and the controller replaces it, unless
   * {@code scale} also lowers the target by one in the same transaction.
   */
  @Override
  public Versioned<StoredReplicaSet> kill(String name, String instanceId, boolean scale) throws Exception {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Stat stat = new Stat();
      StoredReplicaSet current = read(name, stat);
      AssignmentRecord assignment = view.assignment(name, instanceId)
          .orElseThrow(() -> ApiException.notFound("instance " + instanceId + " of replica set " + name));
      String path = layout.assignment(assignment.nodeId(), instanceId);
      try {
        if (scale && current.spec().replicas() > 0 && !current.deleting()) {
          StoredReplicaSet lowered = StoredReplicaSet.of(current.spec().withReplicas(current.spec().replicas() - 1));
          client.transaction().forOperations(
              client.transactionOp().delete().forPath(path),
              client.transactionOp().setData().withVersion(stat.getVersion())
                  .forPath(layout.replicaSet(name), RecordCodec.write(lowered)));
          view.assumeDeleted(path);
          Versioned<StoredReplicaSet> written = new Versioned<>(lowered, stat.getVersion() + 1);
          view.assumeSpec(name, written);
          return written;
        }
        client.delete().forPath(path);
        view.assumeDeleted(path);
        return new Versioned<>(current, stat.getVersion());
      } catch (KeeperException.NoNodeException e) {
        throw ApiException.notFound("instance " + instanceId + " of replica set " + name);
      } catch (KeeperException.BadVersionException e) {
        // The spec changed between the read and the write: read again.
      }
    }
    throw ApiException.conflict("replica set " + name + " changed too often under this request; try again");
  }

  /**
   * Asks the copy's agent to restart it in place: raises the restart generation in its assignment, at the version
   * just read (an agent writing the copy's progress meanwhile makes it read again). The agent stops the copy
   * gracefully and starts it again under the same id, not counting it as a failure.
   */
  @Override
  public Versioned<StoredReplicaSet> restart(String name, String instanceId) throws Exception {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Stat specStat = new Stat();
      StoredReplicaSet current = read(name, specStat);
      AssignmentRecord known = view.assignment(name, instanceId)
          .orElseThrow(() -> ApiException.notFound("instance " + instanceId + " of replica set " + name));
      String path = layout.assignment(known.nodeId(), instanceId);
      try {
        Stat stat = new Stat();
        AssignmentRecord a = RecordCodec.read(client.getData().storingStatIn(stat).forPath(path),
            AssignmentRecord.class);
        long generation = Math.max(a.restartRequested(), a.restartServed()) + 1;
        client.setData().withVersion(stat.getVersion())
            .forPath(path, RecordCodec.write(a.withRestartRequested(generation)));
        return new Versioned<>(current, specStat.getVersion());
      } catch (KeeperException.NoNodeException e) {
        throw ApiException.notFound("instance " + instanceId + " of replica set " + name);
      } catch (KeeperException.BadVersionException e) {
        // The agent recorded progress between the read and the write: read again.
      }
    }
    throw ApiException.conflict("instance " + instanceId + " of " + name + " changed too often under this request; "
        + "try again");
  }

  private Versioned<StoredReplicaSet> update(String name, OptionalInt ifMatch, UnaryOperator<StoredReplicaSet> change)
      throws Exception {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Stat stat = new Stat();
      StoredReplicaSet current = read(name, stat);
      try {
        return write(name, current, change.apply(current), checkedVersion(stat, ifMatch));
      } catch (KeeperException.BadVersionException e) {
        if (ifMatch.isPresent()) {
          throw mismatch(name);
        }
      }
    }
    throw ApiException.conflict("replica set " + name + " changed too often under this request; try again");
  }

  private StoredReplicaSet read(String name, Stat stat) throws Exception {
    try {
      return RecordCodec.read(client.getData().storingStatIn(stat).forPath(layout.replicaSet(name)),
          StoredReplicaSet.class);
    } catch (KeeperException.NoNodeException e) {
      throw ApiException.notFound("replica set " + name);
    }
  }

  private int checkedVersion(Stat stat, OptionalInt ifMatch) {
    if (ifMatch.isPresent() && ifMatch.getAsInt() != stat.getVersion()) {
      throw ApiException.preconditionFailed("If-Match names version " + ifMatch.getAsInt()
          + " but the replica set is at version " + stat.getVersion());
    }
    return stat.getVersion();
  }

  private static ApiException mismatch(String name) {
    return ApiException.preconditionFailed("replica set " + name + " changed since the version If-Match names");
  }

  /**
   * Replaces {@code before} with {@code stored} at {@code version}; a change of the exposed port moves its claim in
   * the same transaction, and a set being deleted releases it.
   */
  private Versioned<StoredReplicaSet> write(String name, StoredReplicaSet before, StoredReplicaSet stored,
      int version) throws Exception {
    List<CuratorOp> claimOps = claims.change(name, before.spec(), stored.deleting() ? null : stored.spec());
    int writtenVersion;
    if (claimOps.isEmpty()) {
      writtenVersion = client.setData().withVersion(version).forPath(layout.replicaSet(name), RecordCodec.write(stored))
          .getVersion();
    } else {
      List<CuratorOp> ops = new ArrayList<>();
      ops.add(client.transactionOp().setData().withVersion(version)
          .forPath(layout.replicaSet(name), RecordCodec.write(stored)));
      ops.addAll(claimOps);
      try {
        client.transaction().forOperations(ops);
      } catch (KeeperException.NodeExistsException raced) {
        throw claims.takenByRace(stored.spec());
      }
      writtenVersion = version + 1;
    }
    Versioned<StoredReplicaSet> result = new Versioned<>(stored, writtenVersion);
    view.assumeSpec(name, result);
    return result;
  }

  /**
   * The spec, its instances parent, its status and the claim of its exposed port, in one transaction: a replica set
   * exists whole or not at all.
   */
  private Versioned<StoredReplicaSet> create(String name, ReplicaSetSpec spec) throws Exception {
    StoredReplicaSet stored = StoredReplicaSet.of(spec);
    List<CuratorOp> ops = new ArrayList<>(List.of(
        client.transactionOp().create().forPath(layout.replicaSet(name), RecordCodec.write(stored)),
        client.transactionOp().create().forPath(layout.instances(name)),
        client.transactionOp().create().forPath(layout.status(name), RecordCodec.write(CrashLoopState.HEALTHY))));
    ops.addAll(claims.change(name, null, spec));
    try {
      client.transaction().forOperations(ops);
    } catch (KeeperException.NodeExistsException e) {
      if (client.checkExists().forPath(layout.replicaSet(name)) != null || spec.expose() == null) {
        throw e;
      }
      throw claims.takenByRace(spec);
    }
    Versioned<StoredReplicaSet> result = new Versioned<>(stored, 0);
    view.assumeSpecCreated(name, result);
    return result;
  }
}
