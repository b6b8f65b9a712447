package io.shepherd.server.api;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.RolloutReason;
import io.shepherd.server.controller.RevisionHistory;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
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
public final class ReplicaSetStore implements ReplicaSetWrites, RolloutWrites {
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ClusterView view;
  private final Clock clock;
  private final ExposeClaims claims;
  private final NewRevision revisions;

  public ReplicaSetStore(CuratorFramework client, ZkLayout layout, ClusterView view) {
    this(client, layout, view, Clock.systemUTC());
  }

  public ReplicaSetStore(CuratorFramework client, ZkLayout layout, ClusterView view, Clock clock) {
    this.client = client;
    this.layout = layout;
    this.view = view;
    this.clock = clock;
    this.claims = new ExposeClaims(client, layout);
    this.revisions = new NewRevision(client, layout, view, clock);
  }

  /**
   * Creates the replica set (revision 1), or replaces its spec: a new revision, stored in the same transaction, when
   * the template changed; the same revision when only {@code replicas} or {@code rollout} did. {@code by} made it.
   */
  @Override
  public Applied apply(String name, ReplicaSetSpec spec, OptionalInt ifMatch, String by) throws Exception {
    return CompareAndSet.run(ifMatch, () -> mismatch(name), () -> tooOften(name), () -> {
      Stat stat = new Stat();
      StoredReplicaSet current;
      try {
        current = ServerZnodes.SPEC.decode(client.getData().storingStatIn(stat).forPath(layout.replicaSet(name)));
      } catch (KeeperException.NoNodeException e) {
        if (ifMatch.isPresent()) {
          throw ApiException.preconditionFailed("replica set " + name + " does not exist, so If-Match cannot match");
        }
        try {
          return new Applied(create(name, spec, by), true);
        } catch (KeeperException.NodeExistsException raced) {
          // Created meanwhile: read it again.
          throw new KeeperException.BadVersionException(layout.replicaSet(name));
        }
      }
      if (current.deleting()) {
        throw ApiException.conflict("replica set " + name + " is being deleted; apply it again once it is gone");
      }
      int version = checkedVersion(stat, ifMatch);
      if (current.revision() > 0 && current.spec().sameTemplate(spec)) {
        return new Applied(write(name, current, current.withSpec(spec).changedLastBy(by), version), false);
      }
      return new Applied(writeRevision(name, current,
          current.newRevision(spec, by, RolloutReason.NEW_REVISION), version), false);
    });
  }

  /** Sets the replica count, keeping the rest of the spec. */
  @Override
  public Versioned<StoredReplicaSet> scale(String name, int replicas, OptionalInt ifMatch, String by)
      throws Exception {
    return update(name, ifMatch, s -> {
      if (s.deleting()) {
        throw ApiException.conflict("replica set " + name + " is being deleted");
      }
      return s.withSpec(s.spec().withReplicas(replicas)).changedLastBy(by);
    });
  }

  /** Marks the replica set deleting: the leader stops every copy, then removes it. */
  @Override
  public Versioned<StoredReplicaSet> delete(String name, OptionalInt ifMatch, String by) throws Exception {
    return update(name, ifMatch, s -> s.markDeleting(by));
  }

  /**
   * Stops one copy. Without {@code scale}: a stop request in its assignment, naming {@code by}, at the version just
   * read; the leader deletes the assignment as it does a dead one and starts a replacement, and the deletion's event
   * names {@code by}. With {@code scale}: its assignment deleted and the target lowered by one in one transaction, the
   * spec naming {@code by} (a stop request there would let a leader that saw it before the lower count start a
   * replacement, only to stop it again). A copy already asked to stop is not found, as once its assignment is gone.
   */
  @Override
  public Versioned<StoredReplicaSet> kill(String name, String instanceId, boolean scale, String by)
      throws Exception {
    return CompareAndSet.run(OptionalInt.empty(), () -> mismatch(name), () -> tooOften(name), () -> {
      Stat stat = new Stat();
      StoredReplicaSet current = read(name, stat);
      AssignmentRecord assignment = view.assignment(name, instanceId)
          .filter(a -> a.stopRequestedBy().isEmpty())
          .orElseThrow(() -> ApiException.notFound("instance " + instanceId + " of replica set " + name));
      String path = layout.assignment(assignment.nodeId(), instanceId);
      try {
        if (scale && current.spec().replicas() > 0 && !current.deleting()) {
          StoredReplicaSet lowered = current.withSpec(current.spec().withReplicas(current.spec().replicas() - 1))
              .changedLastBy(by);
          client.transaction().forOperations(
              client.transactionOp().delete().forPath(path),
              client.transactionOp().setData().withVersion(stat.getVersion())
                  .forPath(layout.replicaSet(name), ServerZnodes.SPEC.encode(lowered)));
          view.assumeDeleted(path);
          Versioned<StoredReplicaSet> written = new Versioned<>(lowered, stat.getVersion() + 1);
          view.assumeSpec(name, written);
          return written;
        }
        requestStop(name, instanceId, path, by);
        return new Versioned<>(current, stat.getVersion());
      } catch (KeeperException.NoNodeException e) {
        throw ApiException.notFound("instance " + instanceId + " of replica set " + name);
      }
    });
  }

  /** Writes a stop request by {@code by} into the assignment at {@code path}, at the version just read. */
  private void requestStop(String name, String instanceId, String path, String by) throws Exception {
    Stat stat = new Stat();
    AssignmentRecord a = Znodes.ASSIGNMENT.decode(client.getData().storingStatIn(stat).forPath(path));
    if (a.stopRequestedBy().isPresent()) {
      throw ApiException.notFound("instance " + instanceId + " of replica set " + name);
    }
    client.setData().withVersion(stat.getVersion()).forPath(path, Znodes.ASSIGNMENT.encode(a.withStopRequested(by)));
  }

  /**
   * Asks the copy's agent to restart it in place: raises the restart generation in its assignment, at the version
   * just read (an agent writing the copy's progress meanwhile makes it read again). The agent stops the copy
   * gracefully and starts it again under the same id, not counting it as a failure. The request names {@code by},
   * and so does the restart's event.
   */
  @Override
  public Versioned<StoredReplicaSet> restart(String name, String instanceId, String by) throws Exception {
    // The agent recording progress between the read and the write makes it read again.
    return CompareAndSet.run(OptionalInt.empty(), () -> mismatch(name),
        () -> ApiException.conflict("instance " + instanceId + " of " + name
            + " changed too often under this request; try again"), () -> {
          Stat specStat = new Stat();
          StoredReplicaSet current = read(name, specStat);
          AssignmentRecord known = view.assignment(name, instanceId)
              .orElseThrow(() -> ApiException.notFound("instance " + instanceId + " of replica set " + name));
          String path = layout.assignment(known.nodeId(), instanceId);
          try {
            Stat stat = new Stat();
            AssignmentRecord a = Znodes.ASSIGNMENT.decode(client.getData().storingStatIn(stat).forPath(path));
            long generation = Math.max(a.restartRequested(), a.restartServed()) + 1;
            client.setData().withVersion(stat.getVersion())
                .forPath(path, Znodes.ASSIGNMENT.encode(a.withRestartRequested(generation, Optional.of(by))));
            return new Versioned<>(current, specStat.getVersion());
          } catch (KeeperException.NoNodeException e) {
            throw ApiException.notFound("instance " + instanceId + " of replica set " + name);
          }
        });
  }

  private Versioned<StoredReplicaSet> update(String name, OptionalInt ifMatch, UnaryOperator<StoredReplicaSet> change)
      throws Exception {
    return CompareAndSet.run(ifMatch, () -> mismatch(name), () -> tooOften(name), () -> {
      Stat stat = new Stat();
      StoredReplicaSet current = read(name, stat);
      return write(name, current, change.apply(current), checkedVersion(stat, ifMatch));
    });
  }

  private StoredReplicaSet read(String name, Stat stat) throws Exception {
    try {
      return ServerZnodes.SPEC.decode(client.getData().storingStatIn(stat).forPath(layout.replicaSet(name)));
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

  private static ApiException tooOften(String name) {
    return ApiException.conflict("replica set " + name + " changed too often under this request; try again");
  }

  /**
   * Replaces {@code before} with {@code stored} at {@code version}; a change of the exposed port moves its claim in
   * the same transaction, and a set being deleted releases it.
   */
  private Versioned<StoredReplicaSet> write(String name, StoredReplicaSet before, StoredReplicaSet stored,
      int version) throws Exception {
    return write(name, before, stored, version, List.of());
  }

  /** {@link #write(String, StoredReplicaSet, StoredReplicaSet, int)} with {@code also} in the same transaction. */
  private Versioned<StoredReplicaSet> write(String name, StoredReplicaSet before, StoredReplicaSet stored,
      int version, List<CuratorOp> also) throws Exception {
    List<CuratorOp> claimOps = claims.change(name, before.spec(), stored.deleting() ? null : stored.spec());
    int writtenVersion;
    if (claimOps.isEmpty() && also.isEmpty()) {
      writtenVersion = client.setData().withVersion(version)
          .forPath(layout.replicaSet(name), ServerZnodes.SPEC.encode(stored))
          .getVersion();
    } else {
      List<CuratorOp> ops = new ArrayList<>();
      ops.add(client.transactionOp().setData().withVersion(version)
          .forPath(layout.replicaSet(name), ServerZnodes.SPEC.encode(stored)));
      ops.addAll(also);
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
   * The spec, its instances parent, its status, its first revision and the claim of its exposed port, in one
   * transaction: a replica set exists whole or not at all.
   */
  private Versioned<StoredReplicaSet> create(String name, ReplicaSetSpec spec, String by) throws Exception {
    StoredReplicaSet stored = StoredReplicaSet.created(spec, by);
    Revision first = new Revision(1, spec, clock.instant(), by, RolloutReason.NEW_REVISION);
    List<CuratorOp> ops = new ArrayList<>(List.of(
        client.transactionOp().create().forPath(layout.replicaSet(name), ServerZnodes.SPEC.encode(stored)),
        client.transactionOp().create().forPath(layout.instances(name)),
        client.transactionOp().create()
            .forPath(layout.status(name), ServerZnodes.CRASH_LOOP.encode(CrashLoopState.HEALTHY)),
        client.transactionOp().create().forPath(layout.revisions(name)),
        client.transactionOp().create().forPath(layout.revision(name, 1), ServerZnodes.REVISION.encode(first))));
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
    view.assumeRevision(name, first);
    return result;
  }

  /**
   * Replaces the spec with {@code stored}, whose revision is new, and stores that revision in the same transaction,
   * deleting the oldest beyond the last {@link RevisionHistory#KEPT} (never the one a failed rollout goes back to),
   * as {@link NewRevision#prepare} says.
   */
  private Versioned<StoredReplicaSet> writeRevision(String name, StoredReplicaSet before, StoredReplicaSet stored,
      int version) throws Exception {
    NewRevision.Prepared prepared = revisions.prepare(name, stored, version);
    List<CuratorOp> ops = new ArrayList<>(prepared.ops());
    List<CuratorOp> claimOps = claims.change(name, before.spec(), stored.spec());
    ops.addAll(claimOps);
    try {
      client.transaction().forOperations(ops);
    } catch (KeeperException.NodeExistsException e) {
      if (!claimOps.isEmpty() && client.checkExists().forPath(layout.revision(name, stored.revision())) == null) {
        throw claims.takenByRace(stored.spec());
      }
      // The view was behind on the revisions: the spec was not written either; the caller reads again.
      throw new KeeperException.BadVersionException(layout.replicaSet(name));
    } catch (KeeperException.NoNodeException e) {
      // The view was behind on the revisions: the spec was not written either; the caller reads again.
      throw new KeeperException.BadVersionException(layout.replicaSet(name));
    }
    return revisions.committed(prepared);
  }

  // ---- rollout control ---------------------------------------------------------------------------------------

  @Override
  public Versioned<StoredReplicaSet> pause(String name, String who) throws Exception {
    return update(name, OptionalInt.empty(), s -> active(name, s).withPaused(true).changedLastBy(who));
  }

  @Override
  public Versioned<StoredReplicaSet> resume(String name, String who) throws Exception {
    return update(name, OptionalInt.empty(), s -> active(name, s).withPaused(false).changedLastBy(who));
  }

  @Override
  public Versioned<StoredReplicaSet> promote(String name, String who) throws Exception {
    return update(name, OptionalInt.empty(), s -> active(name, s).promoted().changedLastBy(who));
  }

  /** A rolling restart: a new revision with the same template, so every copy is replaced. */
  @Override
  public Versioned<StoredReplicaSet> restartRollout(String name, String who) throws Exception {
    return CompareAndSet.run(OptionalInt.empty(), () -> mismatch(name), () -> tooOften(name), () -> {
      Stat stat = new Stat();
      StoredReplicaSet current = active(name, read(name, stat));
      return writeRevision(name, current, current.newRevision(current.spec(), who, RolloutReason.RESTART),
          stat.getVersion());
    });
  }

  /**
   * Goes back to a stored revision ({@code revision}; absent: the one that ran before the current one, see
   * {@link UndoTarget}): its template becomes the spec's, with the current replicas and rollout policy, and a rollout
   * replaces the copies. The revision keeps its number; who brought it back, when and from which revision is added to
   * its record in the same transaction as the spec.
   */
  @Override
  public Versioned<StoredReplicaSet> undo(String name, OptionalInt revision, String who) throws Exception {
    return CompareAndSet.run(OptionalInt.empty(), () -> mismatch(name), () -> tooOften(name), () -> {
      Stat stat = new Stat();
      StoredReplicaSet current = active(name, read(name, stat));
      int to = UndoTarget.of(name, current, revision, revisions.stored(name));
      Stat revisionStat = new Stat();
      Revision stored;
      try {
        stored = ServerZnodes.REVISION.decode(client.getData().storingStatIn(revisionStat)
            .forPath(layout.revision(name, to)));
      } catch (KeeperException.NoNodeException e) {
        // Pruned since the list was read, which changed the spec too: read again.
        throw new KeeperException.BadVersionException(layout.replicaSet(name));
      }
      Revision restored = stored.restoredBy(
          new Revision.Restore(clock.instant(), who, RolloutReason.UNDO, current.revision()));
      Versioned<StoredReplicaSet> written;
      try {
        written = write(name, current, current.backTo(to, stored.template(), who, RolloutReason.UNDO),
            stat.getVersion(), List.of(client.transactionOp().setData().withVersion(revisionStat.getVersion())
                .forPath(layout.revision(name, to), ServerZnodes.REVISION.encode(restored))));
      } catch (KeeperException.NoNodeException e) {
        throw new KeeperException.BadVersionException(layout.replicaSet(name));
      }
      view.assumeRevision(name, restored);
      return written;
    });
  }

  private static StoredReplicaSet active(String name, StoredReplicaSet s) {
    if (s.deleting()) {
      throw ApiException.conflict("replica set " + name + " is being deleted");
    }
    return s;
  }
}
