package io.shepherd.server.ingest;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way ZooKeeper state enters a server: the notifications of the root's persistent recursive watch, read
 * and applied by one thread, whole transactions at a time, in the order ZooKeeper committed them.
 *
 * <p>A batch starts with the notifications at hand. The created and changed znodes among them are read together;
 * that read is a barrier ({@link ZnodeReader}): the notifications that arrived meanwhile belong to transactions
 * the server had begun before answering, so they are taken in, and their znodes read, until a read brings nothing
 * new. Then the batch holds whole transactions only, and every read shows a state whose transactions it holds, so
 * the view never shows half of a multi (an instance without the RUNNING written with it, or the reverse). A read
 * newer than its notification is applied as read: the notification of the newer change is in the batch too.
 *
 * <p>A resync (asked for once the watch is set, after every (re)connection) reads the whole tree, which replaces
 * the view's state in the next batch; notifications from before it are dropped, those that follow are applied on
 * top. Should a read fail, the state is stale until a resync succeeds: one is tried every {@link #RETRY_MILLIS}.
 */
public final class Ingest implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);
  /** At most this many reads per batch: under constant change the batch is applied as read, later ones repair. */
  static final int MAX_ROUNDS = 16;
  static final long RETRY_MILLIS = 1_000;
  private static final Object RESYNC = new Object();

  private final ZnodeReader reader;
  private final String root;
  private final IngestSink sink;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread = new Thread(this::run, "shepherd-ingest");
  private volatile boolean open = true;
  /** Whether the last resync or read failed (ingest thread only). */
  private boolean failed;

  public Ingest(ZnodeReader reader, String root, IngestSink sink) {
    this.reader = reader;
    this.root = root;
    this.sink = sink;
  }

  public void start() {
    thread.setDaemon(true);
    thread.start();
  }

  /** Hands over one notification of the watch, in the order the server sent it: call on one thread. */
  public void notify(Notification notification) {
    queue.add(notification);
  }

  /** Asks for the whole tree to be read again (the watch was set anew): the state is stale until that is applied. */
  public void resync() {
    sink.stale();
    queue.add(RESYNC);
  }

  private void run() {
    while (open) {
      try {
        ingestNext();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("ingest: applying a batch failed; reading the whole tree again", e);
        failed = true;
        sink.stale();
      }
    }
  }

  /** Waits for a notification or a resync, and applies the batch it starts. */
  void ingestNext() throws InterruptedException {
    Object first = failed ? queue.poll(RETRY_MILLIS, TimeUnit.MILLISECONDS) : queue.take();
    Pending pending = new Pending();
    if (failed) {
      pending.absorb(RESYNC);
    }
    if (first != null) {
      pending.absorb(first);
    }
    ingest(pending);
  }

  /** Gathers the batch that {@code pending} starts, with what else is queued, and applies it. */
  private void ingest(Pending pending) {
    drain(pending);
    try {
      for (int round = 1; ; round++) {
        boolean treeRead = false;
        if (pending.resync) {
          pending.tree = Optional.of(reader.readTree(root));
          pending.resync = false;
          treeRead = true;
        }
        List<String> toRead = pending.unread();
        if (!toRead.isEmpty() || !treeRead) { // the tree's read is a barrier too
          Map<String, Znode> read = reader.read(toRead);
          toRead.forEach(path -> {
            Znode znode = read.get(path);
            if (znode == null) {
              pending.reads.remove(path);
            } else {
              pending.reads.put(path, znode);
            }
          });
          pending.fresh.addAll(toRead);
        }
        if (round >= MAX_ROUNDS || !drain(pending)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      open = false;
      return;
    } catch (Exception e) {
      LOG.warn("ingest: cannot read from ZooKeeper ({}); the view is stale until the whole tree is read again",
          e.toString());
      failed = true;
      sink.stale();
      return;
    }
    failed = false;
    sink.apply(new Batch(pending.tree, Transactions.group(pending.notifications, pending.reads)));
  }

  private boolean drain(Pending pending) {
    boolean any = false;
    for (Object next = queue.poll(); next != null; next = queue.poll()) {
      pending.absorb(next);
      any = true;
    }
    return any;
  }

  /** A batch being gathered. */
  private static final class Pending {
    final List<Notification> notifications = new ArrayList<>();
    final Map<String, Znode> reads = new HashMap<>();
    /** Paths read since their last notification. */
    final Set<String> fresh = new HashSet<>();
    Optional<List<Znode>> tree = Optional.empty();
    boolean resync;

    void absorb(Object item) {
      if (item == RESYNC) {
        // The tree read next holds what every notification so far would tell.
        resync = true;
        notifications.clear();
        reads.clear();
        fresh.clear();
        tree = Optional.empty();
      } else if (item instanceof Notification n) {
        notifications.add(n);
        if (n.needsRead()) {
          fresh.remove(n.path());
        }
      }
    }

    List<String> unread() {
      Set<String> unread = new LinkedHashSet<>();
      notifications.stream().filter(Notification::needsRead).map(Notification::path)
          .filter(p -> !fresh.contains(p)).forEach(unread::add);
      return new ArrayList<>(unread);
    }
  }

  @Override
  public void close() {
    open = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
