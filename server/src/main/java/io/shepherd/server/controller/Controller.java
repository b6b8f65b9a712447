package io.shepherd.server.controller;

import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.IngestSink;
import io.shepherd.server.ingest.Notification;
import io.shepherd.server.ingest.Transaction;
import io.shepherd.server.ingest.ZnodeChange;
import io.shepherd.server.ingest.ZooKeeperIngest;
import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ClusterView;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkPath;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: every server runs one; the one that leads reconciles.
 *
 * <p>One {@link ZooKeeperIngest} (a persistent recursive watch on the root: no thread per replica set) feeds the
 * {@link ClusterView}, whole ZooKeeper transactions at a time, in zxid order. Each applied batch only enqueues
 * replica-set names; one reconcile thread drains the queue, reads a snapshot, asks the pure {@link Reconciler} for a
 * {@link Plan} and has the {@link PlanExecutor} commit it under the leader's {@link Fence}. A periodic resync
 * re-queues everything, so a missed event is repaired. Standby servers keep the view warm, so a failover decides at
 * once, from ZooKeeper's state, pending copies included. Nothing is decided before the ingest has caught up after
 * a (re)connection.
 */
public final class Controller implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  /**
   * How long a node that vanished still counts for its pending copies. An agent back under a new session replaces
   * its stale {@code /nodes} entry (delete, then create), so its node is missing for a moment; the copies just
   * assigned to it are the agent's to start, not dead ones to give up and assign again (the agent would have
   * started some already, to be killed as late copies). A host that is really gone loses them this much later.
   */
  static final Duration NODE_RETURN_GRACE = Duration.ofSeconds(2);
  /** At most this many queued replica sets are decided, and their plans committed, together. */
  private static final int MAX_BATCH = 64;
  /**
   * How many decisions a server makes, and throws away, once its view is first read: enough for the JIT to compile
   * the decision path, which a standby otherwise never runs. Interpreted, a decision took ~1 ms per replica set, so a
   * new leader of 1,000 sets spent a second deciding after a failover; compiled, it takes tens of microseconds.
   */
  private static final int WARM_UP_DECISIONS = 20_000;
  /** At most this long is spent on those decisions (about half a second of CPU for 20,000 here). */
  private static final Duration WARM_UP_BUDGET = Duration.ofSeconds(2);

  private enum State { LATENT, STARTED, CLOSED }

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ControllerSettings settings;
  private final Clock clock;
  private final ClusterView view;
  private final Reconciler reconciler;
  private final WorkQueue queue = new WorkQueue();
  private final PlanExecutor executor;
  private final Leadership leadership;
  private final ZooKeeperIngest ingest;
  private final Map<String, Plan.Unschedulable> lastLoggedUnschedulable = new ConcurrentHashMap<>();
  private final Map<String, Instant> nodesGoneAt = new ConcurrentHashMap<>();
  /** When the view saw each ready instance become ready, by instance id: a rollout's minReadyMs counts from here. */
  private final Map<String, Instant> readySince = new ConcurrentHashMap<>();
  private final List<Consumer<Batch>> changeListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "shepherd-resync");
    t.setDaemon(true);
    return t;
  });
  private final Thread loop = new Thread(this::runLoop, "shepherd-reconcile");
  private final MassLossBreaker breaker;
  private final BreakerWrites breakerWrites;
  private volatile CommitHook commitHook = CommitHook.NONE;
  private volatile ControllerObserver observer = ControllerObserver.NONE;

  public Controller(CuratorFramework client, ZkLayout layout, ControllerSettings settings, Clock clock) {
    this.client = client;
    this.layout = layout;
    this.settings = settings;
    this.clock = clock;
    this.view = new ClusterView(layout);
    this.reconciler = new Reconciler(settings.launchTimeout());
    this.executor = new PlanExecutor(client, layout, view, clock);
    this.leadership = new Leadership(client, layout, settings.serverId(), view::storedEpoch, this::enqueueAll);
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
    this.breaker = new MassLossBreaker(settings.massLoss());
    this.breakerWrites = new BreakerWrites(client, layout);
  }

  public void start() throws Exception {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("already started");
    }
    createLayout();
    ingest.start();
    loop.setDaemon(true);
    loop.start();
    long every = settings.resyncInterval().toMillis();
    resync.scheduleWithFixedDelay(this::enqueueAll, every, every, TimeUnit.MILLISECONDS);
    leadership.start();
  }

  /**
   * Runs on the ingest's one thread: apply the batch to the view, let the breaker look, enqueue what it affects.
   * Quick, no I/O.
   */
  private void onBatch(Batch batch) {
    if (state.get() != State.STARTED) {
      return;
    }
    Set<String> nodesBefore = batch.resynced() ? view.nodes().keySet() : Set.of();
    boolean firstTree = batch.resynced() && !view.isInitialized();
    Set<String> affected = view.apply(batch);
    boolean nodesChanged = false;
    boolean breakerChanged = false;
    if (batch.resynced()) {
      LOG.info("read the whole tree: {} replica sets, {} nodes", view.specNames().size(), view.nodes().size());
      Set<String> nodesNow = view.nodes().keySet();
      nodesBefore.stream().filter(n -> !nodesNow.contains(n)).forEach(n -> noteNode(true, n, view.replicaSetsOn(n)));
      nodesNow.forEach(n -> noteNode(false, n, Set.of()));
      Set<String> instanceIds = new HashSet<>();
      view.replicaSetNames().forEach(name -> view.instances(name).forEach(i -> {
        instanceIds.add(i.id());
        noteReadiness(name, i.id());
      }));
      readySince.keySet().retainAll(instanceIds);
      nodesChanged = true;
      breakerChanged = true;
    }
    for (Transaction t : batch.transactions()) {
      for (ZnodeChange c : t.changes()) {
        ZkPath path = layout.parse(c.path());
        if (path instanceof ZkPath.Node node) {
          boolean gone = c.kind() == Notification.Kind.DELETED;
          noteNode(gone, node.nodeId(), gone ? view.replicaSetsOn(node.nodeId()) : Set.of());
          nodesChanged = true;
        } else if (path instanceof ZkPath.Instance i) {
          noteReadiness(i.replicaSet(), i.instanceId());
        } else if (path instanceof ZkPath.Breaker) {
          breakerChanged = true;
        }
      }
    }
    if (nodesChanged) {
      observeNodes(); // before the enqueue, so that a mass loss is held back before anything is rescheduled
    }
    if (breakerChanged) {
      followStoredBreaker();
    }
    if (batch.resynced()) {
      enqueueAll();
    } else {
      enqueue(affected);
    }
    notifyListeners(batch);
    if (firstTree) {
      resync.execute(this::warmUp);
    }
  }

  /** Remembers when a node went; if it has not come back once the grace is over, its replica sets are looked at. */
  private void noteNode(boolean gone, String nodeId, Set<String> affected) {
    if (gone) {
      nodesGoneAt.put(nodeId, clock.instant());
      enqueueAfter(affected, NODE_RETURN_GRACE.plusMillis(1));
    } else {
      nodesGoneAt.remove(nodeId);
    }
  }

  /** Remembers when an instance became ready, as the view now shows it (a new leader starts counting afresh). */
  private void noteReadiness(String replicaSet, String instanceId) {
    boolean ready = view.instance(replicaSet, instanceId).map(InstanceRecord::ready).orElse(false);
    if (ready) {
      readySince.putIfAbsent(instanceId, clock.instant());
    } else {
      readySince.remove(instanceId);
    }
  }

  /** Nodes gone for less than {@link #NODE_RETURN_GRACE} at {@code now}. */
  private Set<String> recentlyGoneNodes(Instant now) {
    nodesGoneAt.values().removeIf(goneAt -> !now.isBefore(goneAt.plus(NODE_RETURN_GRACE)));
    return Set.copyOf(nodesGoneAt.keySet());
  }

  private void observeNodes() {
    breaker.observe(view.nodes().size(), clock.instant()).ifPresent(changed -> {
      if (changed.open()) {
        LOG.warn("mass-loss breaker OPEN: {}", changed.reason());
      } else {
        LOG.info("mass-loss breaker closed: {}", changed.reason());
        enqueueAll();
      }
      breakerWrites.store(changed, leadership.fence());
    });
  }

  /** The stored state changed: an operator reset it, or another leader opened it before a failover. */
  private void followStoredBreaker() {
    BreakerState stored = view.breaker();
    BreakerState mine = breaker.state();
    if (!stored.open() && mine.open() && stored.since().isPresent()
        && !stored.since().equals(mine.since())) {
      breaker.reset(view.nodes().size(), clock.instant());
      LOG.info("mass-loss breaker closed: {}", stored.reason());
      enqueueAll();
    } else if (stored.open() && !mine.open()) {
      breaker.adopt(stored);
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

  /** The parents every component expects; structure, not decisions, so not fenced. */
  private void createLayout() throws Exception {
    for (String path : List.of(layout.replicaSets(), layout.nodes(), layout.assignments(), layout.config(),
        layout.elections(), layout.exposed(), layout.copyElections())) {
      try {
        client.create().creatingParentsIfNeeded().forPath(path);
      } catch (KeeperException.NodeExistsException e) {
        // Created by an earlier run or another server.
      }
    }
  }

  private void enqueue(Set<String> names) {
    if (!names.isEmpty() && leadership.isLeader()) {
      names.forEach(queue::add);
    }
  }

  private void enqueueAfter(Set<String> names, Duration delay) {
    if (!names.isEmpty() && leadership.isLeader()) {
      names.forEach(name -> queue.addAfter(name, delay));
    }
  }

  private void enqueueAll() {
    if (view.isCaughtUp() && leadership.isLeader()) {
      view.replicaSetNames().forEach(queue::add);
    }
  }

  private void runLoop() {
    while (state.get() == State.STARTED) {
      try {
        List<String> names = queue.pollBatch(Duration.ofMillis(250), MAX_BATCH);
        if (!names.isEmpty()) {
          try {
            reconcile(names);
          } finally {
            queue.done(names.size());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("reconcile loop error", e);
      }
    }
  }

  /**
   * Decides every replica set of the batch from the view, then commits the plans that write together, in as few
   * fenced transactions as {@link PlanExecutor#executeAll} can: after an agent with thousands of copies is lost, a
   * hundred replica sets need one round trip to ZooKeeper instead of a hundred in a row. Node loads seen by later
   * plans include the copies earlier plans of the batch start or stop, so placement stays balanced.
   */
  private void reconcile(List<String> names) {
    Optional<Fence> fence = leadership.fence();
    if (fence.isEmpty() || !view.isCaughtUp()) {
      return; // Winning leadership or the ingest catching up re-queues everything.
    }
    long began = System.nanoTime();
    try {
      decideAndCommit(names, fence.get());
    } finally {
      observer.reconciled(names.size(), Duration.ofNanos(System.nanoTime() - began));
    }
  }

  private void decideAndCommit(List<String> names, Fence fence) {
    Instant now = clock.instant();
    Map<String, Integer> loadChange = new HashMap<>();
    Map<String, Set<Integer>> portsTaken = new HashMap<>();
    List<PlanExecutor.Decided> decided = new ArrayList<>();
    for (String name : names) {
      ReplicaSetSnapshot snapshot;
      Plan plan;
      try {
        snapshot = snapshot(name, now, loadChange, portsTaken);
        plan = reconciler.reconcile(snapshot, now);
      } catch (RuntimeException e) {
        LOG.error("{}: cannot decide, will retry", name, e);
        queue.retry(name);
        continue;
      }
      if (!plan.writes()) {
        finished(name, plan);
        continue;
      }
      try {
        commitHook.beforeCommit(plan);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      decided.add(new PlanExecutor.Decided(plan, snapshot));
      plan.startOn().forEach(node -> loadChange.merge(node, 1, Integer::sum));
      plan.starts().forEach(st -> portsTaken.computeIfAbsent(st.nodeId(), n -> new HashSet<>())
          .addAll(st.ports().values()));
      plan.stop().forEach(a -> loadChange.merge(a.nodeId(), -1, Integer::sum));
      plan.cleanUp().forEach(a -> loadChange.merge(a.nodeId(), -1, Integer::sum));
    }
    try {
      executor.executeAll(decided, fence, new PlanExecutor.Outcome() {
        @Override
        public void committed(Plan plan) {
          LOG.debug("{}: started {} stopped {} cleaned {}", plan.replicaSet(), plan.startOn().size(),
              plan.stop().size(), plan.cleanUp().size());
          countReplaced(plan);
          finished(plan.replicaSet(), plan);
        }

        @Override
        public void failed(Plan plan, Exception e) {
          LOG.info("{}: reconcile failed, will retry: {}", plan.replicaSet(), e.toString());
          queue.retry(plan.replicaSet());
        }
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (PlanExecutor.FencedException e) {
      leadership.fenceRejected(fence);
    }
  }

  /**
   * Runs the decision and write path without writing anything, on a standby as on a leader: otherwise class
   * loading, the JIT, Jackson's serializer for assignments and the seeding of instance ids cost a new leader tens of
   * milliseconds in its first decisions after a failover (docs/PERFORMANCE.md, benchmark 3).
   */
  private void warmUp() {
    try {
      List<String> names = List.copyOf(view.replicaSetNames());
      long until = System.nanoTime() + WARM_UP_BUDGET.toNanos();
      int decisions = 0;
      // A leader's real decisions warm the path as well, without taking the CPU from them.
      while (!names.isEmpty() && decisions < WARM_UP_DECISIONS && System.nanoTime() < until
          && state.get() == State.STARTED && !leadership.isLeader()) {
        Instant now = clock.instant();
        for (String name : names) {
          reconciler.reconcile(snapshot(name, now), now);
        }
        decisions += names.size();
      }
      executor.warmUp();
    } catch (RuntimeException e) {
      LOG.debug("warm-up failed; the first decisions as leader will be slower", e);
    }
  }

  /** Dead copies deleted from a set that still wants copies are replaced: the leader's reschedules. */
  private void countReplaced(Plan plan) {
    boolean wanted = view.spec(plan.replicaSet()).map(v -> !v.value().deleting()).orElse(false);
    if (wanted && !plan.cleanUp().isEmpty()) {
      observer.replacing(plan.replicaSet(), plan.cleanUp().size());
    }
  }

  /** The plan is decided and, if it writes, committed: what comes next for its replica set. */
  private void finished(String name, Plan plan) {
    logUnschedulable(name, plan);
    queue.forget(name);
    plan.requeueAfter().ifPresent(d -> queue.addAfter(name, d));
  }

  /** Logs when a replica set starts or stops being unschedulable, not at every reconcile. */
  private void logUnschedulable(String name, Plan plan) {
    if (plan.unschedulable().isPresent()) {
      Plan.Unschedulable u = plan.unschedulable().get();
      if (!u.equals(lastLoggedUnschedulable.put(name, u))) {
        LOG.warn("{}: {} copies cannot be scheduled: {}", name, u.copies(), u.reason());
      }
    } else {
      lastLoggedUnschedulable.remove(name);
    }
  }

  ReplicaSetSnapshot snapshot(String name, Instant now) {
    return snapshot(name, now, Map.of(), Map.of());
  }

  /**
   * A snapshot whose node loads are changed by {@code loadChange} and whose nodes' ports include {@code portsTaken}:
   * plans decided but not yet committed. The ports held on each node are read only for a replica set that names ports.
   */
  private ReplicaSetSnapshot snapshot(
      String name, Instant now, Map<String, Integer> loadChange, Map<String, Set<Integer>> portsTaken) {
    return Snapshots.of(view, name, recentlyGoneNodes(now), breaker.state().open(), readySince, loadChange,
        portsTaken);
  }

  // ---- for the API, health checks and tests -------------------------------------------------------------------

  public ClusterView view() {
    return view;
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  /** The nodes whose pending copies are waited for at {@code now}, as the reconciler counts them. */
  public Set<String> nodesAwaited(Instant now) {
    Set<String> awaited = new HashSet<>(view.nodes().keySet());
    awaited.addAll(recentlyGoneNodes(now));
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

  /** Installs a hook between deciding and committing (fault tests). */
  public void setCommitHook(CommitHook hook) {
    this.commitHook = hook;
  }

  /** Installs what is told of the controller's work (metrics); {@link ControllerObserver#NONE} by default. */
  public void setObserver(ControllerObserver observer) {
    this.observer = observer;
  }

  /** Holds reconciliation back while events keep arriving (fault tests: a controller that misses events). */
  public void pauseQueue() {
    queue.pause();
  }

  public void resumeQueue() {
    queue.resume();
  }

  /**
   * Forgets every replica set waiting in the queue, as if the events that named them had been missed (fault tests:
   * only the periodic resync, or {@link #resyncNow}, brings them back). Backoff and timeout wake-ups still to come
   * are kept.
   */
  public void dropQueued() {
    queue.clear();
  }

  /** Re-queues every replica set now, as the periodic resync does. */
  public void resyncNow() {
    enqueueAll();
  }

  /**
   * Waits until the work queue is drained: no replica set waiting or being reconciled (those scheduled for later,
   * such as backoffs, do not count). For benchmarks and tests: {@code resyncNow(); awaitIdle(...)} times a full resync.
   *
   * @return false if the queue was still busy after {@code timeout}
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return queue.awaitIdle(timeout);
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
    loop.interrupt();
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queue.close();
    breakerWrites.close();
    ingest.close();
  }
}
