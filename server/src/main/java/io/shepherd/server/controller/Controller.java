package io.shepherd.server.controller;

import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.IngestSink;
import io.shepherd.server.ingest.ZooKeeperIngest;
import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ClusterView;
import io.shepherd.worker.zk.ZkLayout;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: every server runs one; the one that leads reconciles. A facade over its parts.
 *
 * <p>One {@link ZooKeeperIngest} (a persistent recursive watch on the root) feeds the {@link ClusterView}, whole
 * ZooKeeper transactions at a time, in zxid order. Each applied batch updates the {@link IngestTimes}, lets the
 * {@link BreakerFollower} look, and only enqueues replica-set names; the {@link ReconcileLoop} decides and commits
 * them under the {@link Leadership}'s fence. A periodic resync re-queues everything, so a missed event is repaired.
 * Standby servers keep the view warm (and the decision path, see {@link WarmUp}), so a failover decides at once.
 * Nothing is decided before the ingest has caught up after a (re)connection.
 */
public final class Controller implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  private enum State { LATENT, STARTED, CLOSED }

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ControllerSettings settings;
  private final Clock clock;
  private final ClusterView view;
  private final Reconciler reconciler;
  private final Leadership leadership;
  private final ZooKeeperIngest ingest;
  private final IngestTimes times;
  private final ControllerHooks hooks;
  private final BreakerFollower breaker;
  private final ReconcileLoop loop;
  private final ViewSnapshots snapshots;
  private final WarmUp warmUp;
  private final List<Consumer<Batch>> changeListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "shepherd-resync");
    t.setDaemon(true);
    return t;
  });

  public Controller(CuratorFramework client, ZkLayout layout, ControllerSettings settings, Clock clock) {
    this(client, layout, settings, clock, ControllerHooks.NONE);
  }

  public Controller(
      CuratorFramework client, ZkLayout layout, ControllerSettings settings, Clock clock, ControllerHooks hooks) {
    this.client = client;
    this.layout = layout;
    this.settings = settings;
    this.clock = clock;
    this.view = new ClusterView(layout);
    this.reconciler = new Reconciler(settings.launchTimeout());
    this.hooks = hooks;
    ReplacementLedger replacements = new ReplacementLedger();
    this.times = new IngestTimes(view, layout, clock, replacements);
    PlanExecutor executor = new PlanExecutor(client, layout, view, clock);
    this.leadership = new Leadership(client, layout, settings.serverId(), view::storedEpoch, this::resyncNow);
    this.breaker = new BreakerFollower(new MassLossBreaker(settings.massLoss()), new BreakerWrites(client, layout),
        view, leadership, clock, this::resyncNow);
    this.snapshots = new ViewSnapshots(view, times, breaker);
    this.loop = new ReconcileLoop(new WorkQueue(), snapshots, reconciler::reconcile, executor, leadership, clock,
        hooks, replacements);
    this.warmUp = new WarmUp(snapshots, reconciler::reconcile, executor, clock,
        () -> state.get() == State.STARTED && !leadership.isLeader());
    this.ingest = new ZooKeeperIngest(client, layout.root(), new IngestSink() {
      @Override
      public void apply(Batch batch) {
        onBatch(batch);
      }

      @Override
      public void stale() {
        view.markStale();
      }
    });
  }

  public void start() throws Exception {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("already started");
    }
    LayoutParents.create(client, layout);
    ingest.start();
    loop.start();
    long every = settings.resyncInterval().toMillis();
    resync.scheduleWithFixedDelay(this::resyncNow, every, every, TimeUnit.MILLISECONDS);
    leadership.start();
  }

  /**
   * Runs on the ingest's one thread: apply the batch to the view, note the times, let the breaker look, enqueue
   * what it affects. Quick, no I/O.
   */
  private void onBatch(Batch batch) {
    if (state.get() != State.STARTED) {
      return;
    }
    Set<String> nodesBefore = batch.resynced() ? view.nodes().keySet() : Set.of();
    boolean firstTree = batch.resynced() && !view.isInitialized();
    Set<String> affected = view.apply(batch);
    if (batch.resynced()) {
      LOG.info("read the whole tree: {} replica sets, {} nodes", view.specNames().size(), view.nodes().size());
    }
    IngestTimes.Seen seen = times.note(batch, nodesBefore);
    seen.replaced().forEach(r -> hooks.observer().replaced(r.replicaSet(), r.took()));
    seen.nodesGone().forEach(n ->
        loop.enqueueAfter(view.replicaSetsOn(n), IngestTimes.NODE_RETURN_GRACE.plusMillis(1)));
    if (seen.nodesChanged()) {
      breaker.observeNodes(); // before the enqueue, so that a mass loss is held back before anything is rescheduled
    }
    if (seen.breakerChanged()) {
      breaker.followStoredBreaker();
    }
    if (batch.resynced()) {
      loop.enqueueAll();
    } else {
      loop.enqueue(affected);
    }
    notifyListeners(batch);
    if (firstTree) {
      resync.execute(warmUp::run);
    }
  }

  private void notifyListeners(Batch batch) {
    for (Consumer<Batch> listener : changeListeners) {
      try {
        listener.accept(batch);
      } catch (RuntimeException e) {
        LOG.warn("change listener failed", e);
      }
    }
  }

  // ---- for the API, health checks, benchmarks and tests ----------------------------------------------------------

  public ClusterView view() {
    return view;
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  /** The nodes whose pending copies are waited for at {@code now}, as the reconciler counts them. */
  public Set<String> nodesAwaited(Instant now) {
    Set<String> awaited = new HashSet<>(view.nodes().keySet());
    awaited.addAll(times.recentlyGoneNodes(now));
    return awaited;
  }

  public boolean isLeader() {
    return leadership.isLeader();
  }

  public Optional<Fence> fence() {
    return leadership.fence();
  }

  public String serverId() {
    return settings.serverId();
  }

  /** This server's view of the mass-loss breaker (the leader's is the one that acts). */
  public BreakerState breakerState() {
    return breaker.state();
  }

  /** What the reconcile loop would read for a replica set at {@code now}. */
  ReplicaSetSnapshot snapshot(String name, Instant now) {
    return snapshots.snapshot(name, now, Map.of(), Map.of());
  }

  /**
   * What the reconciler would decide for a replica set now, from this server's view: the same pure function the
   * leader runs, so a standby can say why copies are missing as well as the leader can. Writes nothing.
   */
  public Plan preview(String name) {
    Instant now = clock.instant();
    return reconciler.reconcile(snapshot(name, now), now);
  }

  /** Observes every batch the ingest applies (after the view has applied it), on the ingest's thread: be quick. */
  public void addChangeListener(Consumer<Batch> listener) {
    changeListeners.add(listener);
  }

  private void resyncNow() {
    loop.enqueueAll();
  }

  /** The reconcile queue, for benchmarks and fault tests. */
  public QueueControl queue() {
    return loop;
  }

  @Override
  public void close() {
    if (!state.compareAndSet(State.STARTED, State.CLOSED)) {
      state.set(State.CLOSED);
      return;
    }
    try {
      leadership.close(); // first: a standby takes over while we shut down the rest
    } catch (Exception e) {
      LOG.warn("closing the leader latch", e);
    }
    resync.shutdownNow();
    loop.close();
    breaker.close();
    ingest.close();
  }
}
