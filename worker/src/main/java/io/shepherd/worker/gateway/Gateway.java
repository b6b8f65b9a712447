package io.shepherd.worker.gateway;

import io.shepherd.worker.record.ExposedRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.RefusedPort;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's gateway: listens on every port a replica set exposes ({@code /exposed/{port}}) and forwards each
 * connection to a ready copy of that set anywhere in the cluster, round robin ({@link ProxyServer}).
 *
 * <p>What it knows comes from caches in the agent's one ZooKeeper session: one on {@code /exposed}, and one on the
 * {@code instances} of each exposed set, so the targets follow the copies' {@code ready} flags as soon as
 * ZooKeeper delivers the change. Every cache event only posts to the gateway's own thread, which recomputes what
 * changed; a periodic pass retries ports that could not be bound (taken by another process, say).
 *
 * <p>The ports it does not listen on, and why ({@link #refused()}), are handed to a listener whenever they change
 * (not on every retry), for the agent to publish in its node record.
 */
public final class Gateway implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final long RETRY_MS = 5_000;
  private static final int IO_THREADS = 2;

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final GatewayConfig config;
  private final ScheduledExecutorService thread;
  private final ProxyServer proxy;
  private final CuratorCache exposed;
  /** The routes by port: written on the gateway thread, read by the proxy's threads. */
  private final Map<Integer, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, CuratorCache> instanceCaches = new HashMap<>();
  /** What was last logged about a port that is not bound, so that a retry does not repeat it. */
  private final Map<Integer, String> notBound = new HashMap<>();
  private final Consumer<List<RefusedPort>> onRefusedChanged;
  private volatile List<RefusedPort> refused = List.of();

  /** A gateway nobody is told the refused ports of. */
  public Gateway(CuratorFramework client, ZkLayout layout, GatewayConfig config) {
    this(client, layout, config, r -> { });
  }

  /**
   * A gateway that calls {@code onRefusedChanged} (on its own thread) with the ports it does not listen on each time
   * they or their reasons change.
   */
  public Gateway(CuratorFramework client, ZkLayout layout, GatewayConfig config,
      Consumer<List<RefusedPort>> onRefusedChanged) {
    this.onRefusedChanged = onRefusedChanged;
    this.client = client;
    this.layout = layout;
    this.config = config;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shepherd-gateway-watch");
      t.setDaemon(true);
      return t;
    });
    this.proxy = new ProxyServer(config.bindHost(), (int) config.connectTimeout().toMillis(), config.maxTries(),
        IO_THREADS);
    this.exposed = CuratorCache.build(client, layout.exposed());
    exposed.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, oldData, data) -> post(this::apply))
        .forInitialized(() -> post(this::apply))
        .build());
  }

  /** Starts watching; ports are bound as they are learnt. */
  public void start() {
    exposed.start();
    thread.scheduleWithFixedDelay(this::apply, RETRY_MS, RETRY_MS, TimeUnit.MILLISECONDS);
    LOG.info("gateway listening on {} for exposed replica sets ({} transport)", config.bindHost(), proxy.transport());
  }

  /** The exposed ports this gateway listens on now. */
  public Set<Integer> listening() {
    return proxy.ports();
  }

  /** The exposed ports this gateway does not listen on, by port, and why. */
  public List<RefusedPort> refused() {
    return refused;
  }

  /** The ready copies an exposed port forwards to now, in round-robin order; empty for a port not exposed. */
  public List<Target> targets(int port) {
    Route r = routes.get(port);
    return r == null ? List.of() : r.targets();
  }

  /** Brings the listeners and instance caches in line with {@code /exposed}. Gateway thread only. */
  private void apply() {
    try {
      Map<Integer, ExposedRecord> wanted = wanted();
      Set<String> sets = new HashSet<>();
      wanted.values().forEach(e -> sets.add(e.replicaSet()));
      for (String set : sets) {
        instanceCaches.computeIfAbsent(set, this::watchInstances);
      }
      for (String set : Set.copyOf(instanceCaches.keySet())) {
        if (!sets.contains(set)) {
          instanceCaches.remove(set).close();
        }
      }
      for (Map.Entry<Integer, ExposedRecord> e : wanted.entrySet()) {
        Route current = routes.get(e.getKey());
        if (current == null || !current.replicaSet().equals(e.getValue().replicaSet())
            || !current.targetPort().equals(e.getValue().targetPort())) {
          routes.put(e.getKey(), new Route(e.getValue().replicaSet(), e.getValue().targetPort()));
        }
      }
      for (Integer port : Set.copyOf(routes.keySet())) {
        if (!wanted.containsKey(port)) {
          routes.remove(port);
          proxy.unbind(port);
          notBound.remove(port);
          LOG.info("gateway: port {} is no longer exposed; not listening on it", port);
        }
      }
      sets.forEach(this::refresh);
      wanted.forEach(this::listen);
      List<RefusedPort> now = Refusals.of(wanted, proxy.ports(), notBound);
      if (!now.equals(refused)) {
        refused = now;
        onRefusedChanged.accept(now);
      }
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: log and carry on.
      LOG.error("gateway: cannot apply the exposed ports", e);
    }
  }

  private void listen(int port, ExposedRecord what) {
    if (proxy.ports().contains(port)) {
      return;
    }
    Optional<String> refusal = PortPolicy.refusal(port, config.allowPrivilegedPorts());
    if (refusal.isPresent()) {
      notListening(port, what, refusal.get());
      return;
    }
    // The route is looked up per connection: the set behind a port may change while it stays bound.
    Picker current = tried -> Optional.ofNullable(routes.get(port)).flatMap(r -> r.pick(tried));
    try {
      proxy.bind(port, current, () -> LOG.debug("gateway: no ready copy of {} for a connection on port {}",
          what.replicaSet(), port));
      notBound.remove(port);
      LOG.info("gateway: listening on {}:{} for replica set {} (its port {})", config.bindHost(), port,
          what.replicaSet(), what.targetPort());
    } catch (Exception e) {
      String os = e.getMessage() == null ? e.toString() : e.getMessage();
      notListening(port, what, "cannot bind " + config.bindHost() + ":" + port + ": " + os
          + " (retried every " + RETRY_MS / 1000 + " s)");
    }
  }

  private void notListening(int port, ExposedRecord what, String why) {
    if (!why.equals(notBound.put(port, why))) {
      LOG.error("gateway: replica set {} exposes port {}, which this agent does not listen on: {}", what.replicaSet(),
          port, why);
    }
  }

  private Map<Integer, ExposedRecord> wanted() {
    Map<Integer, ExposedRecord> wanted = new HashMap<>();
    exposed.stream().filter(d -> !d.getPath().equals(layout.exposed())).forEach(d -> {
      String name = ZKPaths.getNodeFromPath(d.getPath());
      try {
        wanted.put(Integer.parseInt(name), Znodes.EXPOSED.decode(d.getData()));
      } catch (NumberFormatException | UncheckedIOException | NullPointerException e) {
        LOG.warn("gateway: ignoring unreadable claim {}", d.getPath());
      }
    });
    return wanted;
  }

  private CuratorCache watchInstances(String replicaSet) {
    CuratorCache cache = CuratorCache.build(client, layout.instances(replicaSet));
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, oldData, data) -> post(() -> refresh(replicaSet)))
        .forInitialized(() -> post(() -> refresh(replicaSet)))
        .build());
    cache.start();
    return cache;
  }

  /** Recomputes the targets of every port that exposes {@code replicaSet}. Gateway thread only. */
  private void refresh(String replicaSet) {
    CuratorCache cache = instanceCaches.get(replicaSet);
    if (cache == null) {
      return;
    }
    List<InstanceRecord> instances = cache.stream()
        .filter(d -> !d.getPath().equals(layout.instances(replicaSet)))
        .map(Gateway::decode)
        .flatMap(Optional::stream)
        .toList();
    routes.values().stream().filter(r -> r.replicaSet().equals(replicaSet))
        .forEach(r -> r.targets(Targets.of(replicaSet, r.targetPort(), instances)));
  }

  private static Optional<InstanceRecord> decode(ChildData d) {
    try {
      return Optional.of(Znodes.INSTANCE.decode(d.getData()));
    } catch (UncheckedIOException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private void post(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("gateway closing; dropped an update");
    }
  }

  /** Stops listening, closes every proxied connection and every cache. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exposed.close();
    instanceCaches.values().forEach(CuratorCache::close);
    instanceCaches.clear();
    proxy.close();
  }
}
