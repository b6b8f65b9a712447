package io.shepherd.server.testing;

import io.shepherd.server.state.CrashLoopState;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * What happened under the root, as seen by a watcher with its own session from the moment it is created: every
 * assignment created (first sighting, whatever its version by then), every instance registered, every crash-loop
 * status written. A recorder for scenario-specific assertions about sequences; the invariants themselves are
 * {@link Invariants}'s.
 *
 * <p>A node created and deleted before the watcher could read it is not seen (never observed in practice: an
 * assignment lives at least until its agent wrote and the leader read its end).
 */
public final class ZkHistory implements AutoCloseable {
  /** An assignment as first seen, with the transaction and server time that created it. */
  public record Created(AssignmentRecord assignment, long czxid, Instant ctime) {}

  /** A write of {@code /replicasets/{name}/status}, with the server time of the write. */
  public record StatusWrite(String replicaSet, CrashLoopState state, long mzxid, Instant mtime) {}

  private final ZkLayout layout;
  private final CuratorFramework client;
  private final CuratorCache cache;
  private final List<Created> created = new ArrayList<>();
  private final List<String> registered = new ArrayList<>();
  private final List<StatusWrite> statusWrites = new ArrayList<>();
  private final Set<String> seenAssignments = ConcurrentHashMap.newKeySet();
  private final Set<String> seenInstances = ConcurrentHashMap.newKeySet();

  private final java.util.Map<String, Integer> restarts = new java.util.HashMap<>();

  public ZkHistory(String connectString) throws Exception {
    this(connectString, ZkLayout.defaultLayout());
  }

  public ZkHistory(String connectString, ZkLayout layout) throws Exception {
    this.layout = layout;
    this.client = ObserverClients.patient(connectString);
    this.cache = CuratorCache.build(client, layout.root());
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forCreatesAndChanges((before, after) -> changed(after))
        .build());
    cache.start();
  }

  private synchronized void changed(ChildData data) {
    ZkPath path = layout.parse(data.getPath());
    if (path instanceof ZkPath.Assignment p && data.getData() != null && data.getData().length > 0) {
      restarts.merge(p.instanceId(), RecordCodec.read(data.getData(), AssignmentRecord.class).restarts(), Math::max);
    }
    if (path instanceof ZkPath.Assignment p && seenAssignments.add(p.nodeId() + "/" + p.instanceId())) {
      created.add(new Created(RecordCodec.read(data.getData(), AssignmentRecord.class), data.getStat().getCzxid(),
          Instant.ofEpochMilli(data.getStat().getCtime())));
    } else if (path instanceof ZkPath.Instance p && seenInstances.add(p.replicaSet() + "/" + p.instanceId())) {
      registered.add(p.replicaSet() + "/" + p.instanceId());
    } else if (path instanceof ZkPath.Status p && data.getData() != null && data.getData().length > 0) {
      statusWrites.add(new StatusWrite(p.replicaSet(), RecordCodec.read(data.getData(), CrashLoopState.class),
          data.getStat().getMzxid(), Instant.ofEpochMilli(data.getStat().getMtime())));
    }
  }

  /** The most restarts in place seen in the assignment of copy {@code instanceId} (0 if none or never seen). */
  public synchronized int restartsSeen(String instanceId) {
    return restarts.getOrDefault(instanceId, 0);
  }

  /** Every assignment of {@code replicaSet} ever created, in creation order. */
  public synchronized List<Created> created(String replicaSet) {
    return created.stream().filter(c -> c.assignment().replicaSet().equals(replicaSet))
        .sorted(Comparator.comparingLong(Created::czxid)).toList();
  }

  /** Every assignment ever created, in creation order. */
  public synchronized List<Created> created() {
    return created.stream().sorted(Comparator.comparingLong(Created::czxid)).toList();
  }

  /** The ids of every instance of {@code replicaSet} ever registered, in the order they were seen. */
  public synchronized List<String> registered(String replicaSet) {
    return registered.stream().filter(r -> r.startsWith(replicaSet + "/"))
        .map(r -> r.substring(replicaSet.length() + 1)).toList();
  }

  /** Every status write of {@code replicaSet} seen, in order. */
  public synchronized List<StatusWrite> statusWrites(String replicaSet) {
    return statusWrites.stream().filter(s -> s.replicaSet().equals(replicaSet))
        .sorted(Comparator.comparingLong(StatusWrite::mzxid)).toList();
  }

  @Override
  public void close() {
    cache.close();
    client.close();
  }
}
