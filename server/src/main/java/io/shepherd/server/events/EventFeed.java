package io.shepherd.server.events;

import io.shepherd.api.Event;
import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.Notification;
import io.shepherd.server.ingest.Transaction;
import io.shepherd.server.ingest.Znode;
import io.shepherd.server.ingest.ZnodeChange;
import io.shepherd.server.state.ClusterView;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkPath;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the batches the server's one ingest applies ({@link io.shepherd.server.ingest.Ingest}) into {@link Event}s,
 * in ZooKeeper's order, with ids every server gives alike ({@link EventIds}). It reads nothing itself: the content
 * after each change is the one the ingest read, the content before it the one the previous batches (or the tree of
 * the last resync) showed.
 *
 * <p>Ids. A change's id is made of its transaction's zxid and its position among the changes of that transaction.
 * ZooKeeper 3.9 and later put the zxid on each notification, so the ids are ZooKeeper's. From an older server the
 * zxid is the one {@link io.shepherd.server.ingest.Transactions} stands in with (the czxid or mzxid of what was
 * read); a transaction of deletions only, or a stand-in older than the last one used (a read newer than its
 * notification), continues the last transaction numbered here instead, so that ids still increase on this server,
 * but another server can number the same change differently.
 *
 * <p>A resync (after every (re)connection) replaces what is known with the tree read, and reports no event: changes
 * made while this server was disconnected are not reported by it (another server's stream has them), but the
 * stream says that it may have a hole there ({@link EventJournal#missed}). Every call comes from the ingest's one
 * thread.
 */
public final class EventFeed implements Consumer<Batch> {
  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

  private final ZkLayout layout;
  private final Consumer<Event> sink;
  private final Runnable missed;
  private final Clock clock;
  /** Whether a tree was taken before: a later one follows a (re)connection, and changes may have been missed. */
  private boolean resynced;
  // All guarded by this (called on the ingest's thread only, but tests may call from theirs).
  /** The content of every followed znode, by path, as of the last change applied. */
  private final Map<String, Observed> known = new HashMap<>();
  /** The leader latch's participants: latch znode name to server id. */
  private final Map<String, String> participants = new HashMap<>();
  /** The newest zxid in the last tree read: the stand-in base before any transaction is numbered. */
  private long treeZxid;
  private long lastZxid;
  private int nextIndex;

  /**
   * @param sink   where events go, in order
   * @param missed told on every resync after the first: changes made meanwhile were not seen, and the stream has a
   *               hole ({@link EventJournal#missed})
   */
  public EventFeed(ZkLayout layout, Consumer<Event> sink, Runnable missed, Clock clock) {
    this.layout = layout;
    this.sink = sink;
    this.missed = missed;
    this.clock = clock;
  }

  @Override
  public synchronized void accept(Batch batch) {
    batch.tree().ifPresent(this::resync);
    Instant now = clock.instant();
    for (Transaction t : batch.transactions()) {
      transaction(t, now);
    }
  }

  private void resync(List<Znode> tree) {
    if (resynced) {
      missed.run();
    }
    resynced = true;
    known.clear();
    participants.clear();
    for (Znode znode : tree) {
      ZkPath path = layout.parse(znode.path());
      treeZxid = Math.max(treeZxid, Math.max(znode.czxid(), znode.mzxid()));
      observe(path, znode).ifPresent(o -> remember(znode.path(), path, o));
    }
  }

  private void transaction(Transaction t, Instant now) {
    long zxid = t.zxid();
    int index;
    if (zxid != Notification.UNKNOWN && zxid > lastZxid) {
      index = 0;
    } else if (zxid == lastZxid) {
      index = nextIndex;
    } else {
      // ZooKeeper older than 3.9: a transaction of deletions only, or a stand-in older than one already used.
      zxid = lastZxid > 0 ? lastZxid : treeZxid;
      index = nextIndex;
      if (zxid <= 0) {
        LOG.warn("no zxid known for a transaction yet; not reporting its {} changes", t.changes().size());
        return;
      }
    }
    lastZxid = zxid;
    for (ZnodeChange change : t.changes()) {
      // Every change counts towards the index, reported or not, so that ids do not depend on content.
      int i = index++;
      try {
        report(change, zxid, i, t.zxid() != Notification.UNKNOWN && t.zxid() == zxid, now);
      } catch (RuntimeException e) {
        LOG.error("cannot report the change of {}", change.path(), e);
      }
    }
    nextIndex = index;
  }

  /**
   * @param exact whether {@code zxid} is the change's own transaction (so that a read written later shows)
   */
  private void report(ZnodeChange change, long zxid, int index, boolean exact, Instant now) {
    ZkPath path = layout.parse(change.path());
    Change.Kind kind = switch (change.kind()) {
      case CREATED -> Change.Kind.CREATED;
      case CHANGED -> Change.Kind.CHANGED;
      case DELETED -> Change.Kind.DELETED;
    };
    Optional<Observed> prior = Optional.ofNullable(known.get(change.path()));
    Optional<Observed> after = change.now().flatMap(z -> observe(path, z));
    Optional<Observed> before = Optional.empty();
    boolean superseded = false;
    if (kind == Change.Kind.DELETED) {
      before = prior;
      forget(change.path(), path);
    } else {
      superseded = exact && change.now().map(z -> z.mzxid() != zxid).orElse(false);
      if (kind == Change.Kind.CHANGED) {
        before = prior.filter(p -> after.isEmpty() || p.precedes(after.get()));
      }
      after.ifPresent(a -> remember(change.path(), path, a));
    }
    if (index > EventIds.MAX_INDEX) {
      LOG.warn("transaction {} changed more than {} znodes; not reporting {}", zxid, EventIds.MAX_INDEX + 1,
          change.path());
      return;
    }
    long id = EventIds.of(zxid, index);
    if (path instanceof ZkPath.LeaderParticipant) {
      Optional<String> leaderBefore = ClusterView.leaderOf(participantsBefore(kind, path, before));
      EventTranslator.leaderChanged(id, now, leaderBefore, ClusterView.leaderOf(participants)).ifPresent(sink);
      return;
    }
    EventTranslator.translate(new Change(id, kind, path, now, before, after, superseded)).ifPresent(sink);
  }

  /** The participants before a latch change just applied to {@link #participants}. */
  private Map<String, String> participantsBefore(Change.Kind kind, ZkPath path, Optional<Observed> before) {
    Map<String, String> was = new HashMap<>(participants);
    String znode = ((ZkPath.LeaderParticipant) path).znode();
    if (kind == Change.Kind.CREATED) {
      was.remove(znode);
    } else if (kind == Change.Kind.DELETED) {
      before.map(Observed::content).filter(ZnodeContent.Participant.class::isInstance)
          .map(c -> ((ZnodeContent.Participant) c).serverId()).ifPresent(id -> was.put(znode, id));
    }
    return was;
  }

  private void remember(String znode, ZkPath path, Observed observed) {
    known.put(znode, observed);
    if (path instanceof ZkPath.LeaderParticipant p && observed.content() instanceof ZnodeContent.Participant x) {
      participants.put(p.znode(), x.serverId());
    }
  }

  private void forget(String znode, ZkPath path) {
    known.remove(znode);
    if (path instanceof ZkPath.LeaderParticipant p) {
      participants.remove(p.znode());
    }
  }

  private static Optional<Observed> observe(ZkPath path, Znode znode) {
    try {
      return ZnodeContent.decode(path, znode.data())
          .map(content -> new Observed(znode.czxid(), znode.mzxid(), znode.version(), content));
    } catch (RuntimeException e) {
      LOG.warn("unreadable znode {}, reported without details: {}", znode.path(), e.toString());
      return Optional.empty();
    }
  }
}
