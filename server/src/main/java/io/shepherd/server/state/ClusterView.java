package io.shepherd.server.state;

import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shepherd's state as this server knows it: the decoded, indexed content of one CuratorCache over the whole
 * tree. Written by the cache's listener (one thread) and by this server's own committed writes, read by the
 * controller and the REST API from any thread.
 *
 * <p>Own writes are applied at once so that the next decision sees them even before the cache's event arrives
 * (the Kubernetes "expectations" problem): a created assignment is added, and a deleted path is remembered as a
 * tombstone so that a late update event for it cannot bring it back; the cache's delete event clears the
 * tombstone.
 *
 * <p>Each {@code on…} method returns the replica sets whose reconciliation the change may affect.
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
  private final Map<String, Map<String, Versioned<String>>> config = new ConcurrentHashMap<>();
  private final Set<String> tombstones = ConcurrentHashMap.newKeySet();
  private volatile BreakerState breaker = BreakerState.CLOSED;
  private volatile long epoch;
  private volatile Optional<Versioned<Long>> storedEpoch = Optional.empty();
  private volatile boolean initialized;

  public ClusterView(ZkLayout layout) {
    this.layout = layout;
  }

  // ---- written by the cache listener -------------------------------------------------------------------------

  /** A znode was created or its data changed. */
  public Set<String> onChanged(ChildData data) {
    String path = data.getPath();
    if (tombstones.contains(path)) {
      return Set.of();
    }
    try {
      return apply(layout.parse(path), data);
    } catch (RuntimeException e) {
      LOG.warn("ignoring unreadable znode {}: {}", path, e.toString());
      return Set.of();
    }
  }

  /** A znode was deleted. */
  public Set<String> onDeleted(ChildData data) {
    tombstones.remove(data.getPath());
    return remove(layout.parse(data.getPath()));
  }

  public void markInitialized() {
    initialized = true;
  }

  private Set<String> apply(ZkPath path, ChildData data) {
    byte[] bytes = data.getData() == null ? new byte[0] : data.getData();
    if (path instanceof ZkPath.ReplicaSet p) {
      putSpec(p.name(), new Versioned<>(RecordCodec.read(bytes, StoredReplicaSet.class), data.getStat().getVersion()));
      return Set.of(p.name());
    } else if (path instanceof ZkPath.Status p) {
      crashLoops.put(p.replicaSet(),
          bytes.length == 0 ? CrashLoopState.HEALTHY : RecordCodec.read(bytes, CrashLoopState.class));
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Rollout p) {
      if (bytes.length > 0) {
        rollouts.merge(p.replicaSet(), new Versioned<>(RecordCodec.read(bytes, Rollout.class),
            data.getStat().getVersion()), ClusterView::newer);
      }
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Revisions p) {
      revisionParents.add(p.replicaSet());
    } else if (path instanceof ZkPath.Revision p) {
      revisions.computeIfAbsent(p.replicaSet(), k -> new ConcurrentHashMap<>())
          .put(p.revision(), RecordCodec.read(bytes, Revision.class));
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Instance p) {
      InstanceRecord record = RecordCodec.read(bytes, InstanceRecord.class);
      instances.computeIfAbsent(p.replicaSet(), k -> new ConcurrentHashMap<>()).put(p.instanceId(), record);
      return Set.of(p.replicaSet());
    } else if (path instanceof ZkPath.Assignment) {
      AssignmentRecord record = RecordCodec.read(bytes, AssignmentRecord.class);
      putAssignment(new Versioned<>(record, data.getStat().getVersion()));
      return Set.of(record.replicaSet());
    } else if (path instanceof ZkPath.NodeAssignments p) {
      assignmentParents.add(p.nodeId());
    } else if (path instanceof ZkPath.Node p) {
      boolean isNew = nodes.put(p.nodeId(), RecordCodec.read(bytes, NodeRecord.class)) == null;
      // A new node may take copies that had nowhere to go.
      return isNew ? replicaSetNames() : Set.of();
    } else if (path instanceof ZkPath.Epoch) {
      epoch = parseEpoch(bytes);
      storedEpoch = Optional.of(new Versioned<>(epoch, data.getStat().getVersion()));
    } else if (path instanceof ZkPath.Breaker) {
      breaker = RecordCodec.read(bytes, BreakerState.class);
    } else if (path instanceof ZkPath.ConfigValue p) {
      config.computeIfAbsent(p.replicaSet(), k -> new ConcurrentHashMap<>())
          .put(p.key(), new Versioned<>(new String(bytes, StandardCharsets.UTF_8), data.getStat().getVersion()));
    } else if (path instanceof ZkPath.LeaderParticipant p) {
      leaderParticipants.put(p.znode(), new String(bytes, StandardCharsets.UTF_8));
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
      return replicaSetsOnNode(p.nodeId());
    } else if (path instanceof ZkPath.LeaderParticipant p) {
      leaderParticipants.remove(p.znode());
    } else if (path instanceof ZkPath.ConfigValue p) {
      Map<String, Versioned<String>> values = config.get(p.replicaSet());
      if (values != null) {
        values.remove(p.key());
      }
    }
    return Set.of();
  }

  // ---- written by this server's own committed transactions ---------------------------------------------------

  /** An assignment this server created; the cache's event for it will say the same. */
  public void assumeCreated(AssignmentRecord record) {
    assignmentParents.add(record.nodeId());
    putAssignment(new Versioned<>(record, 0));
  }

  /** A znode this server deleted; ignore late update events for it until the cache sees the delete. */
  public void assumeDeleted(String path) {
    tombstones.add(path);
    remove(layout.parse(path));
  }

  public void assumeCrashLoop(String replicaSet, CrashLoopState state) {
    crashLoops.put(replicaSet, state);
  }

  /** A rollout this server wrote at {@code version}; kept unless the cache already holds a newer version. */
  public void assumeRollout(String replicaSet, Versioned<Rollout> rollout) {
    rollouts.merge(replicaSet, rollout, ClusterView::newer);
  }

  /** A revision this server wrote. */
  public void assumeRevision(String replicaSet, Revision revision) {
    revisions.computeIfAbsent(replicaSet, k -> new ConcurrentHashMap<>()).put(revision.revision(), revision);
  }

  /** A spec this server created; kept unless the cache already holds a newer version. */
  public void assumeSpecCreated(String name, Versioned<StoredReplicaSet> spec) {
    putSpec(name, spec);
  }

  /**
   * A spec this server replaced (scaled, marked deleting); kept unless the cache already holds a newer version, and
   * only while the view still holds the replica set: the leader may have removed it, and the cache seen that, between
   * this server's write and this call (a set marked deleting with no copies goes at once), and an own write must not
   * bring a removed set back into the view, where the leader would try to remove it again and again.
   */
  public void assumeSpec(String name, Versioned<StoredReplicaSet> spec) {
    specs.computeIfPresent(name, (k, old) -> spec.version() >= old.version() ? spec : old);
  }

  private void putSpec(String name, Versioned<StoredReplicaSet> spec) {
    specs.merge(name, spec, (old, neu) -> neu.version() >= old.version() ? neu : old);
  }

  /** Keeps the newer version: an own creation may be applied after the cache already saw the agent's update. */
  private void putAssignment(Versioned<AssignmentRecord> versioned) {
    AssignmentRecord record = versioned.value();
    assignmentsBySet.computeIfAbsent(record.replicaSet(), k -> new ConcurrentHashMap<>())
        .merge(record.instanceId(), versioned, ClusterView::newer);
    assignmentsByNode.computeIfAbsent(record.nodeId(), k -> new ConcurrentHashMap<>())
        .merge(record.instanceId(), versioned, ClusterView::newer);
  }

  private static <T> Versioned<T> newer(Versioned<T> old, Versioned<T> neu) {
    return neu.version() >= old.version() ? neu : old;
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

  public boolean isInitialized() {
    return initialized;
  }

  public long epoch() {
    return epoch;
  }

  /** A configuration value and its version. */
  public Optional<Versioned<String>> configValue(String name, String key) {
    Map<String, Versioned<String>> values = config.get(name);
    return values == null ? Optional.empty() : Optional.ofNullable(values.get(key));
  }

  /** {@code /epoch} as the cache last saw it, with its znode version; empty before it was seen. */
  public Optional<Versioned<Long>> storedEpoch() {
    return storedEpoch;
  }

  /** The breaker state stored in ZooKeeper. */
  public BreakerState breaker() {
    return breaker;
  }

  public Set<String> replicaSetNames() {
    Set<String> names = ConcurrentHashMap.newKeySet();
    names.addAll(specs.keySet());
    names.addAll(assignmentsBySet.keySet());
    return names;
  }

  public Optional<Versioned<StoredReplicaSet>> spec(String name) {
    return Optional.ofNullable(specs.get(name));
  }

  public Collection<String> specNames() {
    return new TreeMap<>(specs).keySet();
  }

  public CrashLoopState crashLoop(String name) {
    return crashLoops.getOrDefault(name, CrashLoopState.HEALTHY);
  }

  /** The rollout of a replica set, in progress or last done, with its znode version; empty before the first. */
  public Optional<Versioned<Rollout>> rollout(String name) {
    return Optional.ofNullable(rollouts.get(name));
  }

  /** The stored revisions of a replica set, by number. */
  public Map<Integer, Revision> revisions(String name) {
    Map<Integer, Revision> ofSet = revisions.get(name);
    return ofSet == null ? Map.of() : new TreeMap<>(ofSet);
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
    return ofSet == null ? List.of() : List.copyOf(ofSet.values());
  }

  public Optional<AssignmentRecord> assignment(String name, String instanceId) {
    Map<String, Versioned<AssignmentRecord>> ofSet = assignmentsBySet.get(name);
    return ofSet == null ? Optional.empty() : Optional.ofNullable(ofSet.get(instanceId)).map(Versioned::value);
  }

  public Map<String, NodeRecord> nodes() {
    return Map.copyOf(nodes);
  }

  /** How many assignments a node holds now, of every replica set. */
  public int assignmentCount(String nodeId) {
    Map<String, Versioned<AssignmentRecord>> onNode = assignmentsByNode.get(nodeId);
    return onNode == null ? 0 : onNode.size();
  }

  /** The ports the assignments on a node hold now, of every replica set and in every state. */
  public Set<Integer> portsInUse(String nodeId) {
    Map<String, Versioned<AssignmentRecord>> onNode = assignmentsByNode.get(nodeId);
    if (onNode == null) {
      return Set.of();
    }
    Set<Integer> ports = new HashSet<>();
    onNode.values().forEach(a -> ports.addAll(a.value().ports().values()));
    return ports;
  }

  /** Whether the cache has seen the parent of a replica set's revisions. */
  public boolean hasRevisionsParent(String name) {
    return revisionParents.contains(name);
  }

  public boolean hasAssignmentParent(String nodeId) {
    return assignmentParents.contains(nodeId);
  }

  /** The id of the participant that leads: the owner of the lowest latch sequence number. */
  public Optional<String> leaderId() {
    return leaderParticipants.entrySet().stream()
        .min(Map.Entry.comparingByKey((a, b) -> Long.compare(sequence(a), sequence(b))))
        .map(Map.Entry::getValue);
  }

  private Set<String> replicaSetsOnNode(String nodeId) {
    Map<String, Versioned<AssignmentRecord>> onNode = assignmentsByNode.get(nodeId);
    if (onNode == null) {
      return Set.of();
    }
    Set<String> names = ConcurrentHashMap.newKeySet();
    new ArrayList<>(onNode.values()).forEach(a -> names.add(a.value().replicaSet()));
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

  static long parseEpoch(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8).trim();
    return text.isEmpty() ? 0 : Long.parseLong(text);
  }
}
