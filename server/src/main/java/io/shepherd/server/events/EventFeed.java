package io.shepherd.server.events;

import io.shepherd.api.Event;
import io.shepherd.server.ingest.RootWatch;
import io.shepherd.server.state.ClusterView;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkPath;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns this server's own observation of ZooKeeper into {@link Event}s, in ZooKeeper's order, with ids every
 * server gives alike ({@link EventIds}).
 *
 * <p>A persistent recursive watch on the root ({@link RootWatch}) delivers every create, data change and delete
 * under it with its zxid, in zxid order, on ZooKeeper's event thread. Each notification is queued; one that needs
 * its znode's content (who runs an instance, a spec's new count) reads it in the background, and ZooKeeper answers
 * reads in order with its notifications, so the content read is the one this change wrote unless the znode changed
 * again at once (then the event says less, but is still reported under the same id). A delete needs no read: the
 * content is the one last read, or the cluster view's for a znode older than the watch. The queue is reported from
 * its head as entries resolve; a read that never returns holds it back at most {@link #READ_PATIENCE}. Nothing here
 * blocks the event thread: reads are asynchronous and the sink (the {@link EventJournal}) never waits.
 *
 * <p>The controller's cache is not used for content, although it reads the same znodes: it calls its listeners on
 * another thread, after its own reads, and folds quick successive changes together, so its callbacks cannot be
 * lined up with notifications without guessing.
 *
 * <p>Limits. While this server's session is disconnected ZooKeeper queues no notifications: changes made meanwhile
 * are not reported by this server (another server's stream has them). Who leads is read afresh each time the watch
 * is set, so a leader change within that read's round trip may be missed. In an ensemble, the ephemeral znodes of an
 * expired session are deleted in one transaction, in an order each ZooKeeper server takes from a hash set: servers
 * connected to different ZooKeeper servers could then number those deletes differently within the transaction.
 * Thread-safe; one instance per server.
 */
public final class EventFeed implements Closeable {
  /** How long the queue waits for a read before it reports the change with what it knows. */
  static final Duration READ_PATIENCE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

  private enum State { LATENT, STARTED, CLOSED }

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ViewFallback fallback;
  private final Consumer<Event> sink;
  private final Clock clock;
  private final RootWatch watch;
  private final ScheduledExecutorService patience = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "shepherd-events-patience");
    t.setDaemon(true);
    return t;
  });
  // All guarded by this.
  private final ArrayDeque<Step> steps = new ArrayDeque<>();
  private final Map<String, Observed> known = new HashMap<>();
  private final Participants participants = new Participants();
  private long lastZxid;
  private int nextIndex;

  public EventFeed(CuratorFramework client, ZkLayout layout, ClusterView view, Consumer<Event> sink, Clock clock) {
    this.client = client;
    this.layout = layout;
    this.fallback = new ViewFallback(view);
    this.sink = sink;
    this.clock = clock;
    this.watch = new RootWatch(client, layout.root(), this::onNotification, this::onWatchSet);
  }

  public void start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("already started");
    }
    watch.start();
    long every = Math.max(100, READ_PATIENCE.toMillis() / 10);
    patience.scheduleWithFixedDelay(this::giveUpOnSlowReads, every, every, TimeUnit.MILLISECONDS);
  }

  private synchronized void onNotification(WatchedEvent event) {
    Optional<Change.Kind> kind = kind(event);
    if (state.get() != State.STARTED || kind.isEmpty() || event.getPath() == null) {
      return;
    }
    long zxid = event.getZxid();
    if (zxid <= 0) {
      LOG.warn("notification without a zxid, not reported: {}", event);
      return;
    }
    // Every notification counts towards the index, reported or not, so that ids do not depend on content.
    int index = zxid == lastZxid ? nextIndex : 0;
    lastZxid = zxid;
    nextIndex = index + 1;
    if (index > EventIds.MAX_INDEX) {
      LOG.warn("transaction {} changed more than {} znodes; not reporting {}", zxid, EventIds.MAX_INDEX + 1,
          event.getPath());
      return;
    }
    ZkPath path = layout.parse(event.getPath());
    Step.Notice notice = new Step.Notice(EventIds.of(zxid, index), zxid, kind.get(), path, event.getPath(),
        clock.instant());
    steps.add(notice);
    switch (kind.get()) {
      case DELETED -> notice.resolve(forget(notice), Optional.empty(), false);
      case CREATED -> readOrResolve(notice, ZnodeContent.readsOnCreate(path));
      case CHANGED -> readOrResolve(notice, ZnodeContent.readsOnChange(path));
    }
    drain();
  }

  private static Optional<Change.Kind> kind(WatchedEvent event) {
    return switch (event.getType()) {
      case NodeCreated -> Optional.of(Change.Kind.CREATED);
      case NodeDataChanged -> Optional.of(Change.Kind.CHANGED);
      case NodeDeleted -> Optional.of(Change.Kind.DELETED);
      default -> Optional.empty(); // connection states; recursive watches send no child events
    };
  }

  /** The content a deleted znode had: as last read here, else as the cluster view has it. */
  private Optional<Observed> forget(Step.Notice notice) {
    Observed last = known.remove(notice.znode);
    return last != null ? Optional.of(last) : fallback.lookup(notice.path);
  }

  private void readOrResolve(Step.Notice notice, boolean read) {
    if (!read) {
      notice.resolve(Optional.empty(), Optional.empty(), false);
      return;
    }
    // What the znode held before a change, as known now: used if a deletion notified before the read completes has
    // made it forgotten by then (an instance marked unready just before its copy stops).
    Optional<Observed> atNotice = notice.kind == Change.Kind.CHANGED
        ? Optional.ofNullable(known.get(notice.znode)).or(() -> fallback.lookup(notice.path))
        : Optional.empty();
    try {
      client.getData().inBackground((c, e) -> onRead(notice, atNotice, e)).forPath(notice.znode);
    } catch (Exception e) {
      LOG.warn("cannot read {} for its event: {}", notice.znode, e.toString());
      notice.resolve(Optional.empty(), Optional.empty(), false);
    }
  }

  private synchronized void onRead(Step.Notice notice, Optional<Observed> atNotice, CuratorEvent result) {
    if (state.get() != State.STARTED) {
      return;
    }
    Optional<Observed> after = Optional.empty();
    boolean superseded = false;
    if (result.getResultCode() == KeeperException.Code.OK.intValue()) {
      Stat stat = result.getStat();
      after = decode(notice, result.getData())
          .map(content -> new Observed(stat.getCzxid(), stat.getMzxid(), stat.getVersion(), content));
      superseded = stat.getMzxid() != notice.zxid;
    } else if (result.getResultCode() != KeeperException.Code.NONODE.intValue()) {
      LOG.info("reading {} for its event failed: {}", notice.znode,
          KeeperException.Code.get(result.getResultCode()));
    }
    Optional<Observed> before = Optional.empty();
    if (notice.kind == Change.Kind.CHANGED) {
      Optional<Observed> prior =
          Optional.ofNullable(known.get(notice.znode)).or(() -> fallback.lookup(notice.path)).or(() -> atNotice);
      Optional<Observed> read = after;
      before = prior.filter(p -> read.isEmpty() || p.precedes(read.get()));
    }
    after.ifPresent(a -> known.put(notice.znode, a));
    notice.resolve(before, after, superseded);
    drain();
  }

  private static Optional<ZnodeContent> decode(Step.Notice notice, byte[] data) {
    try {
      return ZnodeContent.decode(notice.path, data);
    } catch (RuntimeException e) {
      LOG.warn("unreadable znode {}, reported without details: {}", notice.znode, e.toString());
      return Optional.empty();
    }
  }

  /**
   * The watch was set, at start or again after a reconnection. Changes made while it was down were not seen, so
   * what was read before may be stale: forget it, and read the latch's participants afresh.
   */
  private synchronized void onWatchSet() {
    if (state.get() != State.STARTED) {
      return;
    }
    known.clear();
    Step.Seed seed = new Step.Seed(clock.instant());
    steps.add(seed);
    LatchRead.start(client, layout.leader(), participants -> onLatchRead(seed, participants));
  }

  private synchronized void onLatchRead(Step.Seed seed, Optional<Map<String, String>> participants) {
    seed.resolve(participants);
    drain();
  }

  /** Reports every resolved step at the head of the queue, in order. */
  private void drain() {
    while (!steps.isEmpty() && steps.peek().resolved()) {
      Step step = steps.poll();
      try {
        report(step);
      } catch (RuntimeException e) {
        LOG.error("cannot report a change", e);
      }
    }
  }

  private void report(Step step) {
    if (step instanceof Step.Seed seed) {
      seed.participants().ifPresent(participants::replaceAll);
      return;
    }
    Change change = ((Step.Notice) step).change();
    if (change.path() instanceof ZkPath.LeaderParticipant p) {
      Optional<String> before = participants.leader();
      if (change.kind() == Change.Kind.CREATED) {
        change.after(ZnodeContent.Participant.class).ifPresent(x -> participants.put(p.znode(), x.serverId()));
      } else if (change.kind() == Change.Kind.DELETED) {
        participants.remove(p.znode());
      }
      EventTranslator.leaderChanged(change.id(), change.time(), before, participants.leader()).ifPresent(sink);
      return;
    }
    EventTranslator.translate(change).ifPresent(sink);
  }

  /** A read that does not come back (the connection is gone for long) must not hold every later event back. */
  private synchronized void giveUpOnSlowReads() {
    Step head = steps.peek();
    if (head != null && !head.resolved() && head.queuedAt().plus(READ_PATIENCE).isBefore(clock.instant())) {
      LOG.warn("no answer from ZooKeeper for {}s: reporting the waiting change without its details",
          READ_PATIENCE.toSeconds());
      for (Step step : steps) {
        if (step.queuedAt().plus(READ_PATIENCE).isBefore(clock.instant())) {
          if (step instanceof Step.Notice n) {
            n.resolve(Optional.empty(), Optional.empty(), false);
          } else if (step instanceof Step.Seed s) {
            s.resolve(Optional.empty());
          }
        }
      }
      drain();
    }
  }

  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) == State.STARTED) {
      patience.shutdownNow();
      watch.close();
    }
  }
}
