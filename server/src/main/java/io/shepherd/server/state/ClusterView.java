package io.shepherd.server.state;

import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.Notification;
import io.shepherd.server.ingest.Transaction;
import io.shepherd.server.ingest.ZnodeChange;
import io.shepherd.server.ingest.Znode;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.zk.Znodes;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkPath;
import java.util.ArrayList;
import java.util.Collection;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shepherd's state as this server knows it: the decoded, indexed content of the whole tree, as the ingest
 * ({@link io.shepherd.server.ingest.Ingest}) applies it a batch of whole transactions at a time, under a lock. Also
 * written by this server's own committed writes (under the same lock), read by the controller and the REST API
 * from any thread; {@link #consistently} reads several parts of one moment.
 *
 * <p>What was observed is written by the ingest alone. This server's own writes are kept apart, in
 * {@link Expectations}, until the ingest shows them (or their time runs out), and laid over the observed state
 * when the view is read, so that the next decision sees a commit at once: a created assignment is there, a deleted
 * one is not, whatever the ingest applies meanwhile; a resync replaces the observed state and leaves them be.
 */
public final class ClusterView {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

  private final ZkLayout layout;
  private final Map<String, Versioned<StoredReplicaSet>> specs = new ConcurrentHashMap<>();
  private final Map<String, CrashLoopState> crashLoops = new ConcurrentHashMap<>();
  private final Map<String, Versioned<Rollout>> rollouts = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, Revision>> revisions = new ConcurrentHashMap<>();
  private final Map<String, Map<String, InstanceRecord>> instances = new ConcurrentHashMap<>();
  // With the znode's version: the leader deletes an assignment only as it was when it decided.
  private final Map<String, Map<String, Versioned<AssignmentRecord>>> assignmentsBySet = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Versioned<AssignmentRecord>>> assignmentsByNode = new ConcurrentHashMap<>();
  private final Set<String> assignmentParents = ConcurrentHashMap.newKeySet();
  private final Set<String> revisionParents = ConcurrentHashMap.newKeySet();
  private final Map<String, NodeRecord> nodes = new ConcurrentHashMap<>();
  private final Map<String, String> leaderParticipants = new ConcurrentHashMap<>();
  private final Expectations expectations;
  private volatile BreakerState breaker = BreakerState.CLOSED;
  private volatile long epoch;
  private volatile Optional<Versioned<Long>> storedEpoch = Optional.empty();
  private volatile boolean initialized;
  private volatile boolean caughtUp;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  public ClusterView(ZkLayout layout) {
    this(layout, Clock.systemUTC());
  }

  /** {@code clock}: for the time limit of this server's own writes not yet seen back. */
  public ClusterView(ZkLayout layout, Clock clock) {
    this.layout = layout;
    this.expectations = new Expectations(clock);
  }

  // ---- written by the ingest ---------------------------------------------------------------------------------

  /**
   * Applies one batch of the ingest under one lock: first, after a (re)connection, the whole tree replaces what the
   * view held; then each transaction, whole, in order. Returns the replica sets whose reconciliation it may affect.
   */
  public Set<String> apply(Batch batch) {
    lock.writeLock().lock();
    try {
      Set<String> affected = new HashSet<>();
      if (batch.tree().isPresent()) {
        affected.addAll(replicaSetNames());
        clear();
        batch.tree().get().forEach(z -> {
          affected.addAll(applyRead(z));
          seen(new ZnodeChange(Notification.Kind.CREATED, z.path(), Optional.of(z)));
        });
        Set<String> assignmentIds = new HashSet<>();
        assignmentsByNode.values().forEach(onNode -> assignmentIds.addAll(onNode.keySet()));
        expectations.seenTree(assignmentIds, specs.keySet());
        affected.addAll(replicaSetNames());
        initialized = true;
        caughtUp = true;
      }
      for (Transaction t : batch.transactions()) {
        for (ZnodeChange c : t.changes()) {
          if (c.kind() == Notification.Kind.DELETED) {
            affected.addAll(remove(layout.parse(c.path())));
          } else if (c.now().isPresent()) {
            affected.addAll(applyRead(c.now().get()));
          }
          seen(c);
        }
      }
      expectations.expire();
      return affected;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The ingest may be behind ZooKeeper until its next resync: decide nothing. */
  public void markStale() {
    caughtUp = false;
  }

  /** Runs {@code read} while no batch is applied: what it reads of several replica sets or maps is of one moment. */
  public <T> T consistently(Supplier<T> read) {
    lock.readLock().lock();
    try {
      return read.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  private Set<String> applyRead(Znode znode) {
    try {
      return apply(layout.parse(znode.path()), znode);
    } catch (RuntimeException e) {
      LOG.warn("ignoring unreadable znode {}: {}", znode.path(), e.toString());
      return Set.of();
    }
  }

  /** Tells the expectations what the ingest showed of {@code change}'s znode, now applied. */
  private void seen(ZnodeChange change) {
    ZkPath path = layout.parse(change.path());
    boolean deleted = change.kind() == Notification.Kind.DELETED;
    Optional<Integer> version = deleted ? Optional.empty() : change.now().map(Znode::version);
    if (!deleted && change.now().isEmpty()) {
      return; // gone by the read: its deletion follows
    }
    if (path instanceof ZkPath.Assignment a) {
      expectations.seenAssignment(a.instanceId(), deleted);
    } else if (path instanceof ZkPath.ReplicaSet p) {
      expectations.seenSpec(p.name(), version);
    } else if (path instanceof ZkPath.Status p) {
      expectations.seenCrashLoop(p.replicaSet(),
          deleted ? Optional.empty() : Optional.ofNullable(crashLoops.get(p.replicaSet())));
    } else if (path instanceof ZkPath.Rollout p) {
      expectations.seenRollout(p.replicaSet(), version);
    } else if (path instanceof ZkPath.Revision p && !deleted) {
      expectations.seenRevision(p.replicaSet(), p.revision());
    }
  }

  private void clear() {
    specs.clear();
    crashLoops.clear();
    rollouts.clear();
    revisions.clear();
    instances.clear();
    assignmentsBySet.clear();
    assignmentsByNode.clear();
    assignmentParents.clear();
    revisionParents.clear();
    nodes.clear();
    leaderParticipants.clear();
    breaker = BreakerState.CLOSED;
  }

  private Set<String> apply(ZkPath path, Znode data) {
    byte[] bytes = data.data();
    if (path instanceof ZkPath.ReplicaSet p) {
      putSpec(p.name(), new Versioned<>(ServerZnodes.SPEC.decode(bytes), data.version()));
      return Set.of(p.name());
    } else if (path instanceof ZkPath.Status p) {
      crashLoops.put(p.replicaSet(),
          ServerZnodes.CRASH_LOOP.decode(bytes));
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Rollout p) {
      if (bytes.length > 0) {
        rollouts.put(p.replicaSet(), new Versioned<>(ServerZnodes.ROLLOUT.decode(bytes), data.version()));
      }
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Revisions p) {
      revisionParents.add(p.replicaSet());
    } else if (path instanceof ZkPath.Revision p) {
      revisions.computeIfAbsent(p.replicaSet(), k -> new ConcurrentHashMap<>())
          .put(p.revision(), ServerZnodes.REVISION.decode(bytes));
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Instance p) {
      InstanceRecord record = Znodes.INSTANCE.decode(bytes);
      instances.computeIfAbsent(p.replicaSet(), k -> new ConcurrentHashMap<>()).put(p.instanceId(), record);
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Assignment) {
      AssignmentRecord record = Znodes.ASSIGNMENT.decode(bytes);
      putAssignment(new Versioned<>(record, data.version()));
      return Set.of(record.replicaSet());
    } else if (path instanceof ZkPath.NodeAssignments p) {
      assignmentParents.add(p.nodeId());
    } else if (path instanceof ZkPath.Node p) {
      boolean isNew = nodes.put(p.nodeId(), Znodes.NODE.decode(bytes)) == null;
      // A new node may take copies that had nowhere to go.
      return isNew ? replicaSetNames() : Set.of();
    } else if (path instanceof ZkPath.Epoch) {
      epoch = Znodes.EPOCH.decode(bytes);
      storedEpoch = Optional.of(new Versioned<>(epoch, data.version()));
    } else if (path instanceof ZkPath.Breaker) {
      breaker = ServerZnodes.BREAKER.decode(bytes);
    } else if (path instanceof ZkPath.LeaderParticipant p) {
      leaderParticipants.put(p.znode(), Znodes.LEADER_PARTICIPANT.decode(bytes));
    }
    return Set.of();
  }

  private Set<String> remove(ZkPath path) {
    if (path instanceof ZkPath.ReplicaSet p) {
      specs.remove(p.name());
      return Set.of(p.name());
    } else if (path instanceof ZkPath.Status p) {
      crashLoops.remove(p.replicaSet());
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Rollout p) {
      rollouts.remove(p.replicaSet());
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Revisions p) {
      revisionParents.remove(p.replicaSet());
    } else if (path instanceof ZkPath.Revision p) {
      Map<Integer, Revision> ofSet = revisions.get(p.replicaSet());
      if (ofSet != null) {
        ofSet.remove(p.revision());
      }
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Instance p) {
      Map<String, InstanceRecord> ofSet = instances.get(p.replicaSet());
      if (ofSet != null) {
        ofSet.remove(p.instanceId());
      }
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Assignment p) {
      return removeAssignment(p.nodeId(), p.instanceId()).map(Set::of).orElse(Set.of());
    } else if (path instanceof ZkPath.NodeAssignments p) {
      assignmentParents.remove(p.nodeId());
    } else if (path instanceof ZkPath.Node p) {
      nodes.remove(p.nodeId());
      return replicaSetsOn(p.nodeId());
    } else if (path instanceof ZkPath.LeaderParticipant p) {
      leaderParticipants.remove(p.znode());
    }
    return Set.of();
  }

  // ---- this server's own committed writes, kept apart until seen back ----------------------------------------

  /** An assignment this server created; expected until the ingest shows it. */
  public void assumeCreated(AssignmentRecord record) {
    expectations.createdAssignment(record);
  }

  /** An assignment or a replica set this server deleted; hidden until the ingest shows the deletion. */
  public void assumeDeleted(String path) {
    ZkPath parsed = layout.parse(path);
    if (parsed instanceof ZkPath.Assignment a) {
      expectations.deletedAssignment(a.instanceId());
    } else if (parsed instanceof ZkPath.ReplicaSet p) {
      expectations.deletedReplicaSet(p.name());
    }
  }

  public void assumeCrashLoop(String replicaSet, CrashLoopState state) {
    expectations.crashLoop(replicaSet, state);
  }

  /** A rollout this server wrote at {@code version}; shown unless the view holds a newer version. */
  public void assumeRollout(String replicaSet, Versioned<Rollout> rollout) {
    expectations.rollout(replicaSet, rollout);
  }

  /** A revision this server wrote. */
  public void assumeRevision(String replicaSet, Revision revision) {
    expectations.revision(replicaSet, revision);
  }

  /** A spec this server created; shown unless the view holds a newer version. */
  public void assumeSpecCreated(String name, Versioned<StoredReplicaSet> spec) {
    expectations.spec(name, spec, true);
  }

  /**
   * A spec this server replaced (scaled, marked deleting); shown unless the view holds a newer version, and only
   * while the view still holds the replica set: the leader may have removed it, and the ingest applied that, between
   * this server's write and this call (a set marked deleting with no copies goes at once), and an own write must not
   * bring a removed set back into the view, where the leader would try to remove it again and again.
   */
  public void assumeSpec(String name, Versioned<StoredReplicaSet> spec) {
    expectations.spec(name, spec, false);
  }

  private void putSpec(String name, Versioned<StoredReplicaSet> spec) {
    specs.put(name, spec);
  }

  /** The ingest applies in ZooKeeper's order, and reads the newest state: the last write wins. */
  private void putAssignment(Versioned<AssignmentRecord> versioned) {
    AssignmentRecord record = versioned.value();
    assignmentsBySet.computeIfAbsent(record.replicaSet(), k -> new ConcurrentHashMap<>())
        .put(record.instanceId(), versioned);
    assignmentsByNode.computeIfAbsent(record.nodeId(), k -> new ConcurrentHashMap<>())
        .put(record.instanceId(), versioned);
  }

  private Optional<String> removeAssignment(String nodeId, String instanceId) {
    Map<String, Versioned<AssignmentRecord>> onNode = assignmentsByNode.get(nodeId);
    Versioned<AssignmentRecord> removed = onNode == null ? null : onNode.remove(instanceId);
    if (removed == null) {
      return Optional.empty();
    }
    Map<String, Versioned<AssignmentRecord>> ofSet = assignmentsBySet.get(removed.value().replicaSet());
    if (ofSet != null) {
      ofSet.remove(instanceId);
    }
    return Optional.of(removed.value().replicaSet());
  }

  // ---- reads ---------------------------------------------------------------------------------------------------

  /** Whether the whole tree has been read once: the view is warm. */
  public boolean isInitialized() {
    return initialized;
  }

  /** Whether the view has caught up with ZooKeeper since the last (re)connection: decisions may be made. */
  public boolean isCaughtUp() {
    return caughtUp;
  }

  public long epoch() {
    return epoch;
  }

  /** {@code /epoch} as last ingested, with its znode version; empty before it was seen. */
  public Optional<Versioned<Long>> storedEpoch() {
    return storedEpoch;
  }

  /** The breaker state stored in ZooKeeper. */
  public BreakerState breaker() {
    return breaker;
  }

  public Set<String> replicaSetNames() {
    Set<String> names = ConcurrentHashMap.newKeySet();
    names.addAll(specNames());
    names.addAll(assignmentsBySet.keySet());
    names.addAll(expectations.setsCreatedIn(expectations.now()));
    return names;
  }

  public Optional<Versioned<StoredReplicaSet>> spec(String name) {
    Optional<Versioned<StoredReplicaSet>> observed = Optional.ofNullable(specs.get(name));
    if (expectations.isEmpty()) {
      return observed;
    }
    return expectations.isReplicaSetDeleted(name) ? Optional.empty() : expectations.spec(name, observed);
  }

  public Collection<String> specNames() {
    TreeMap<String, Boolean> names = new TreeMap<>();
    specs.keySet().forEach(n -> names.put(n, true));
    if (!expectations.isEmpty()) {
      expectations.createdSpecs().forEach(n -> names.put(n, true));
      names.keySet().removeIf(n -> spec(n).isEmpty());
    }
    return names.keySet();
  }

  public CrashLoopState crashLoop(String name) {
    return expectations.crashLoop(name).orElseGet(() -> crashLoops.getOrDefault(name, CrashLoopState.HEALTHY));
  }

  /** The rollout of a replica set, in progress or last done, with its znode version; empty before the first. */
  public Optional<Versioned<Rollout>> rollout(String name) {
    return expectations.rollout(name, Optional.ofNullable(rollouts.get(name)));
  }

  /** The stored revisions of a replica set, by number. */
  public Map<Integer, Revision> revisions(String name) {
    Map<Integer, Revision> ofSet = revisions.get(name);
    Map<Integer, Revision> all = ofSet == null ? new TreeMap<>() : new TreeMap<>(ofSet);
    all.putAll(expectations.revisions(name));
    return all;
  }

  /** One instance of a replica set, if the view holds it. */
  public Optional<InstanceRecord> instance(String name, String instanceId) {
    Map<String, InstanceRecord> ofSet = instances.get(name);
    return ofSet == null ? Optional.empty() : Optional.ofNullable(ofSet.get(instanceId));
  }

  public List<InstanceRecord> instances(String name) {
    Map<String, InstanceRecord> ofSet = instances.get(name);
    return ofSet == null ? List.of() : List.copyOf(ofSet.values());
  }

  public List<AssignmentRecord> assignments(String name) {
    return versionedAssignments(name).stream().map(Versioned::value).toList();
  }

  /** The assignments of a replica set with their znodes' versions, each record read together with its version. */
  public List<Versioned<AssignmentRecord>> versionedAssignments(String name) {
    Map<String, Versioned<AssignmentRecord>> ofSet = assignmentsBySet.get(name);
    List<Versioned<AssignmentRecord>> observed = ofSet == null ? List.of() : List.copyOf(ofSet.values());
    if (expectations.isEmpty()) {
      return observed;
    }
    Instant now = expectations.now();
    return withExpected(observed, expectations.createdIn(name, now), now);
  }

  public Optional<AssignmentRecord> assignment(String name, String instanceId) {
    return versionedAssignments(name).stream().map(Versioned::value).filter(a -> a.instanceId().equals(instanceId))
        .findFirst();
  }

  /**
   * One assignment as the ingest last read it, without this server's own writes laid over it: what ZooKeeper showed.
   * A lookup, not a scan, for the ingest's bookkeeping.
   */
  public Optional<AssignmentRecord> observedAssignment(String name, String instanceId) {
    Map<String, Versioned<AssignmentRecord>> ofSet = assignmentsBySet.get(name);
    Versioned<AssignmentRecord> a = ofSet == null ? null : ofSet.get(instanceId);
    return a == null ? Optional.empty() : Optional.of(a.value());
  }

  /** The assignments on a node, of every replica set. */
  private Collection<Versioned<AssignmentRecord>> assignmentsOn(String nodeId) {
    Map<String, Versioned<AssignmentRecord>> onNode = assignmentsByNode.get(nodeId);
    List<Versioned<AssignmentRecord>> observed = onNode == null ? List.of() : List.copyOf(onNode.values());
    if (expectations.isEmpty()) {
      return observed;
    }
    Instant now = expectations.now();
    return withExpected(observed, expectations.createdOn(nodeId, now), now);
  }

  /** {@code observed} without what this server deleted, with what it {@code created} and the view lacks. */
  private List<Versioned<AssignmentRecord>> withExpected(List<Versioned<AssignmentRecord>> observed,
      List<AssignmentRecord> created, Instant now) {
    List<Versioned<AssignmentRecord>> all = new ArrayList<>(observed.size() + created.size());
    Set<String> seen = new HashSet<>();
    for (Versioned<AssignmentRecord> a : observed) {
      seen.add(a.value().instanceId());
      if (!expectations.isAssignmentDeleted(a.value().instanceId(), now)) {
        all.add(a);
      }
    }
    for (AssignmentRecord a : created) {
      if (!seen.contains(a.instanceId())) {
        all.add(new Versioned<>(a, 0));
      }
    }
    return all;
  }

  public Map<String, NodeRecord> nodes() {
    return Map.copyOf(nodes);
  }

  /** How many assignments a node holds now, of every replica set. */
  public int assignmentCount(String nodeId) {
    Map<String, Versioned<AssignmentRecord>> onNode = assignmentsByNode.getOrDefault(nodeId, Map.of());
    int count = onNode.size();
    if (expectations.isEmpty()) {
      return count;
    }
    // As assignmentsOn(nodeId).size(), without copying every assignment of the node: each snapshot counts every
    // node's, so the cost is in what this server expects, not in what the node holds.
    Instant now = expectations.now();
    for (String instanceId : expectations.deletedAssignments(now)) {
      if (onNode.containsKey(instanceId)) {
        count--;
      }
    }
    for (AssignmentRecord created : expectations.createdOn(nodeId, now)) {
      if (!onNode.containsKey(created.instanceId())) {
        count++;
      }
    }
    return count;
  }

  /** The ports the assignments on a node hold now, of every replica set and in every state. */
  public Set<Integer> portsInUse(String nodeId) {
    Set<Integer> ports = new HashSet<>();
    assignmentsOn(nodeId).forEach(a -> ports.addAll(a.value().ports().values()));
    return ports;
  }

  /** Whether the view holds the parent of a replica set's revisions. */
  public boolean hasRevisionsParent(String name) {
    return revisionParents.contains(name);
  }

  public boolean hasAssignmentParent(String nodeId) {
    return assignmentParents.contains(nodeId)
        || !expectations.createdOn(nodeId, expectations.now()).isEmpty();
  }

  /** The id of the participant that leads: the owner of the lowest latch sequence number. */
  public Optional<String> leaderId() {
    return leaderOf(leaderParticipants);
  }

  /**
   * Who leads among the leader latch's participants (latch znode name to the server id it holds): the owner of the
   * lowest latch sequence number, whatever the name's prefix.
   */
  public static Optional<String> leaderOf(Map<String, String> serverIdByLatchZnode) {
    return serverIdByLatchZnode.entrySet().stream()
        .min(Map.Entry.comparingByKey((a, b) -> Long.compare(sequence(a), sequence(b))))
        .map(Map.Entry::getValue);
  }

  /** The replica sets with an assignment on a node. */
  public Set<String> replicaSetsOn(String nodeId) {
    Set<String> names = ConcurrentHashMap.newKeySet();
    assignmentsOn(nodeId).forEach(a -> names.add(a.value().replicaSet()));
    return names;
  }

  private static long sequence(String latchNode) {
    int dash = latchNode.lastIndexOf('-');
    try {
      return Long.parseLong(latchNode.substring(dash + 1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
