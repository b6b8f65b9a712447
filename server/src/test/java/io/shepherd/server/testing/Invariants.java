package io.shepherd.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * The one invariant checker every fault scenario uses. It watches the whole tree with its own session from the
 * moment it is created and records, as ZooKeeper orders them:
 *
 * <ul>
 *   <li><b>one controller commits at a time</b>: the epochs of created assignments, in transaction order, never go
 *       down (a deposed leader that still wrote would show an older epoch after a newer one);
 *   <li><b>never above target plus surge</b>: the most instances ever registered at once for a replica set, against
 *       the largest count it was ever declared with plus the allowed surge;
 *   <li><b>no spec lost</b>: a spec znode that disappears without having been marked deleting is a loss;
 *   <li><b>always back to target</b> and <b>no copy without an assignment</b>: checked by {@link #awaitConverged}.
 * </ul>
 * Processes are the test's to check (the checker sees ZooKeeper only).
 */
public final class Invariants implements AutoCloseable {
  private final ZkLayout layout;
  private final CuratorFramework client;
  private final CuratorCache cache;
  private final List<String> violations = new ArrayList<>();
  private final Map<String, Set<String>> instances = new ConcurrentHashMap<>();
  private final Map<String, Integer> maxInstances = new ConcurrentHashMap<>();
  private final Map<String, Integer> maxDeclared = new ConcurrentHashMap<>();
  private final Set<String> markedDeleting = ConcurrentHashMap.newKeySet();
  private long lastCreationEpoch;
  private long lastCreationZxid;
  private int surge;

  public Invariants(String connectString) throws Exception {
    this(connectString, ZkLayout.defaultLayout());
  }

  public Invariants(String connectString, ZkLayout layout) throws Exception {
    this.layout = layout;
    this.client = ObserverClients.patient(connectString);
    this.cache = CuratorCache.build(client, layout.root());
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forCreatesAndChanges((before, after) -> changed(after))
        .forDeletes(this::deleted)
        .build());
    cache.start();
  }

  /** Copies allowed above the target at any moment (KEEP_RUNNING during a partition may briefly run more). */
  public Invariants allowSurge(int copies) {
    this.surge = copies;
    return this;
  }

  private synchronized void changed(ChildData data) {
    ZkPath path = layout.parse(data.getPath());
    if (path instanceof ZkPath.ReplicaSet p) {
      StoredReplicaSet stored = RecordCodec.read(data.getData(), StoredReplicaSet.class);
      maxDeclared.merge(p.name(), stored.spec().replicas(), Math::max);
      if (stored.deleting()) {
        markedDeleting.add(p.name());
      }
    } else if (path instanceof ZkPath.Instance p) {
      Set<String> live = instances.computeIfAbsent(p.replicaSet(), k -> ConcurrentHashMap.newKeySet());
      live.add(p.instanceId());
      maxInstances.merge(p.replicaSet(), live.size(), Math::max);
    } else if (path instanceof ZkPath.Assignment) {
      // By creation zxid, not by version 0: an agent may update an assignment (RUNNING, or EXITED when it refuses
      // a stale epoch) before this cache reads it, and the creation must still be checked.
      AssignmentRecord a = RecordCodec.read(data.getData(), AssignmentRecord.class);
      long zxid = data.getStat().getCzxid();
      if (zxid > lastCreationZxid) {
        if (a.epoch() < lastCreationEpoch) {
          violations.add("assignment " + a.instanceId() + " created at zxid " + zxid + " by epoch " + a.epoch()
              + " after epoch " + lastCreationEpoch + " had created one: two controllers committed");
        }
        lastCreationEpoch = Math.max(lastCreationEpoch, a.epoch());
        lastCreationZxid = zxid;
      }
    }
  }

  private synchronized void deleted(ChildData data) {
    ZkPath path = layout.parse(data.getPath());
    if (path instanceof ZkPath.Instance p) {
      Set<String> live = instances.get(p.replicaSet());
      if (live != null) {
        live.remove(p.instanceId());
      }
    } else if (path instanceof ZkPath.ReplicaSet p && !markedDeleting.contains(p.name())) {
      violations.add("spec " + p.name() + " disappeared without being deleted");
    }
  }

  /** Asserts every invariant observed so far. */
  public synchronized void assertHeld() {
    List<String> all = new ArrayList<>(violations);
    maxInstances.forEach((name, max) -> {
      int allowed = maxDeclared.getOrDefault(name, 0) + surge;
      if (max > allowed) {
        all.add(name + " had " + max + " copies registered at once; at most " + allowed + " allowed");
      }
    });
    assertThat(all).as("invariant violations").isEmpty();
  }

  /**
   * Waits until every replica set that is not being deleted has exactly its declared count of registered copies,
   * each with its assignment, and no registered copy anywhere lacks an assignment; then asserts the invariants.
   */
  public void awaitConverged(Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      Map<String, Integer> declared = new HashMap<>();
      Set<String> assigned = new HashSet<>();
      for (String node : children(layout.assignments())) {
        for (String id : children(layout.assignmentsOf(node))) {
          assigned.add(id);
        }
      }
      for (String name : children(layout.replicaSets())) {
        byte[] data = client.getData().forPath(layout.replicaSet(name));
        StoredReplicaSet stored = RecordCodec.read(data, StoredReplicaSet.class);
        if (!stored.deleting()) {
          declared.put(name, stored.spec().replicas());
        }
        List<String> registered = children(layout.instances(name));
        for (String id : registered) {
          InstanceRecord r = RecordCodec.read(client.getData().forPath(layout.instance(name, id)), InstanceRecord.class);
          assertThat(assigned).as("instance %s of %s (node %s) has an assignment", id, name, r.node()).contains(id);
        }
        if (declared.containsKey(name)) {
          assertThat(registered).as("registered copies of %s", name).hasSize(declared.get(name));
        }
      }
    });
    assertHeld();
  }

  private List<String> children(String path) throws Exception {
    return client.checkExists().forPath(path) == null ? List.of() : client.getChildren().forPath(path);
  }

  @Override
  public void close() {
    cache.close();
    client.close();
  }
}
