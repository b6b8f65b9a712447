package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.zk.ZkPath;
import io.shepherd.worker.zk.Znodes;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's assignments as ZooKeeper last showed them: one {@link CuratorCache} on {@code /assignments/{nodeId}},
 * whose events only hand on the instance id they concern, and each assignment decoded once per version of it.
 *
 * <p>Threads: Curator's thread delivers the events and the end of the initial load; the agent thread reads and
 * decodes as it reconciles, so that the thread that handles an exit, which reads too, finds each change decoded.
 */
final class AssignmentCache implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(AssignmentCache.class);
  private final AgentContext ctx;
  private final InstanceWrites writes;
  private final CuratorCache cache;
  private final AtomicBoolean started = new AtomicBoolean();
  /** The last decoded version of each assignment, by path; forgotten with the assignment. */
  private final Map<String, Decoded> decoded = new ConcurrentHashMap<>();
  private volatile boolean initialized;

  /**
   * @param changed called on Curator's thread with the instance id of each assignment created, changed or deleted
   * @param loaded  called on Curator's thread once the cache has loaded what there was, after {@link #initialized()}
   *                turned true
   */
  AssignmentCache(AgentContext ctx, InstanceWrites writes, Consumer<String> changed, Runnable loaded) {
    this.ctx = ctx;
    this.writes = writes;
    this.cache = CuratorCache.build(ctx.client(), ctx.layout().assignmentsOf(ctx.config().nodeId()));
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, oldData, data) -> instanceIdOf(data != null ? data : oldData).ifPresent(changed))
        .forInitialized(() -> {
          initialized = true;
          loaded.run();
        })
        .build());
  }

  /** Starts watching the assignments; idempotent. */
  void start() {
    if (started.compareAndSet(false, true)) {
      cache.start();
    }
  }

  /** Whether the cache has loaded the assignments there were when it started: only then does an absence mean one. */
  boolean initialized() {
    return initialized;
  }

  /** The cached node of the assignment, if there is one. */
  Optional<ChildData> get(String instanceId) {
    return cache.get(writes.assignmentPath(instanceId));
  }

  /** Whether the cache holds the assignment. */
  boolean holds(String instanceId) {
    return get(instanceId).isPresent();
  }

  /** The assignment as cached, decoded; empty if there is none or it is unreadable. */
  Optional<AssignmentRecord> current(String instanceId) {
    return get(instanceId).flatMap(this::decode);
  }

  /** The instance ids of every cached assignment of this node. */
  Stream<String> instanceIds() {
    return cache.stream().map(this::instanceIdOf).flatMap(Optional::stream);
  }

  /** Every readable cached assignment of this node. */
  Stream<AssignmentRecord> records() {
    return cache.stream().filter(d -> instanceIdOf(d).isPresent()).map(this::decode).flatMap(Optional::stream);
  }

  /** Forgets the decoded assignment: it is gone, and no copy of it runs here. */
  void forget(String instanceId) {
    decoded.remove(writes.assignmentPath(instanceId));
  }

  /**
   * The assignment a cached node holds, decoded once per version of it: the agent thread decodes each change as it
   * reconciles, so that an exit finds it decoded.
   */
  Optional<AssignmentRecord> decode(ChildData data) {
    Decoded known = decoded.get(data.getPath());
    long mzxid = data.getStat() == null ? -1 : data.getStat().getMzxid();
    if (known != null && mzxid >= 0 && known.mzxid() == mzxid) {
      return Optional.of(known.record());
    }
    Optional<AssignmentRecord> record = decodeAnew(data);
    record.filter(r -> mzxid >= 0).ifPresent(r -> decoded.put(data.getPath(), new Decoded(mzxid, r)));
    return record;
  }

  private record Decoded(long mzxid, AssignmentRecord record) {}

  private static Optional<AssignmentRecord> decodeAnew(ChildData data) {
    try {
      return Optional.of(Znodes.ASSIGNMENT.decode(data.getData()));
    } catch (UncheckedIOException | NullPointerException e) {
      LOG.error("ignoring unreadable assignment {}", data.getPath(), e);
      return Optional.empty();
    }
  }

  private Optional<String> instanceIdOf(ChildData data) {
    if (data != null && ctx.layout().parse(data.getPath()) instanceof ZkPath.Assignment a
        && a.nodeId().equals(ctx.config().nodeId())) {
      return Optional.of(a.instanceId());
    }
    return Optional.empty();
  }

  /** Stops watching the assignments. */
  @Override
  public void close() {
    cache.close();
  }
}
