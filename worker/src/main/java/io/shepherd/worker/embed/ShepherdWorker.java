package io.shepherd.worker.embed;

import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;

/**
 * The embeddable worker API: what a JVM that is one copy of a replica set gets from Shepherd besides being kept
 * alive. Leader election among the copies of its replica set (one {@code LeaderLatch} on
 * {@code /elections/{replicaSet}}, participants named by instance id), and the replica set's configuration values
 * ({@code /config/{replicaSet}/{key}}, set with {@code PUT /api/v1/config/...}), watched.
 *
 * <p>Liveness is not this class's business: the agent that launched the copy registers its instance znode. A copy
 * must not register itself as well: an instance znode without an assignment counts for nothing, and a second
 * registration of the same copy would race the agent's.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once; the Curator client is the caller's (started before,
 * closed after). Leadership follows Curator's LeaderLatch: it is lost on SUSPENDED, so a copy that is not sure it
 * leads does not act as leader. Listeners run on Curator's event threads: keep them short. Thread-safe.
 *
 * <p>It needs a ZooKeeper connection of the copy's own, with an identity listed among the agents' (docs/SECURITY.md).
 * Copies in other languages, and JVM copies that would rather hold no ZooKeeper connection, use their agent's local
 * HTTP API instead: {@code GET $SHEPHERD_AGENT_URL/v1/leader} and {@code /v1/config} with
 * {@code Authorization: Bearer $SHEPHERD_TOKEN}, long-polled, the election and the watches run by the agent on its
 * own session (docs/LOCAL-API.md). The two elections are separate: copies of one set should all use one of them.
 */
public final class ShepherdWorker implements Closeable {
  private enum State { LATENT, STARTED, CLOSED }

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final WorkerIdentity identity;
  private final ZkLayout layout;
  private final LeaderLatch latch;
  private final CuratorCache config;
  private final CopyOnWriteArrayList<BiConsumer<String, Optional<String>>> configListeners =
      new CopyOnWriteArrayList<>();

  private ShepherdWorker(CuratorFramework client, ZkLayout layout, WorkerIdentity identity) {
    this.identity = identity;
    this.layout = layout;
    this.latch = new LeaderLatch(client, layout.election(identity.replicaSet()), identity.instanceId(),
        LeaderLatch.CloseMode.NOTIFY_LEADER);
    this.config = CuratorCache.build(client, layout.configOf(identity.replicaSet()));
    config.listenable().addListener(CuratorCacheListener.builder()
        .forCreatesAndChanges((before, after) -> configChanged(after, true))
        .forDeletes(data -> configChanged(data, false))
        .build());
  }

  /** A worker for the copy {@code identity} (usually {@code WorkerIdentity.fromEnvironment(System.getenv())}). */
  public static ShepherdWorker create(CuratorFramework client, ZkLayout layout, WorkerIdentity identity) {
    return new ShepherdWorker(client, layout, identity);
  }

  public void start() throws Exception {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("cannot be started more than once");
    }
    config.start();
    latch.start();
  }

  public WorkerIdentity identity() {
    return identity;
  }

  /** Whether this copy leads its replica set now. */
  public boolean isLeader() {
    return state.get() == State.STARTED && latch.hasLeadership();
  }

  /** Waits up to {@code timeout} to lead; true if this copy leads. */
  public boolean awaitLeadership(long timeout, TimeUnit unit) throws InterruptedException {
    return latch.await(timeout, unit);
  }

  /** Told when this copy gains or loses leadership. */
  public void addLeadershipListener(LeaderLatchListener listener) {
    latch.addListener(listener);
  }

  /** A configuration value of this copy's replica set, as last seen. */
  public Optional<String> config(String key) {
    return config.get(layout.configValue(identity.replicaSet(), key))
        .map(d -> Znodes.CONFIG_VALUE.decode(d.getData()));
  }

  /** Told of every change of a configuration value: the key and its new value (empty when deleted). */
  public void addConfigListener(BiConsumer<String, Optional<String>> listener) {
    configListeners.add(listener);
  }

  private void configChanged(ChildData data, boolean present) {
    if (state.get() != State.STARTED || data.getPath().equals(layout.configOf(identity.replicaSet()))) {
      return;
    }
    String key = data.getPath().substring(data.getPath().lastIndexOf('/') + 1);
    Optional<String> value = present
        ? Optional.of(Znodes.CONFIG_VALUE.decode(data.getData()))
        : Optional.empty();
    configListeners.forEach(l -> l.accept(key, value));
  }

  @Override
  public void close() throws IOException {
    if (state.compareAndSet(State.STARTED, State.CLOSED)) {
      try {
        latch.close();
      } finally {
        config.close();
      }
    }
    state.set(State.CLOSED);
  }
}
