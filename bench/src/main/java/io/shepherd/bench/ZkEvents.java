package io.shepherd.bench;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * The benchmark's own eyes on ZooKeeper: one plain ZooKeeper session (not Curator: nothing between the event and
 * its timestamp) with a persistent recursive watch. Every event is stamped with {@link System#nanoTime()} on
 * ZooKeeper's event thread, then queued or handed to a listener.
 */
final class ZkEvents implements Closeable {
  /** One watch event and when it arrived. */
  record Stamped(long nanos, Watcher.Event.EventType type, String path) {}

  private final ZooKeeper zk;
  private final BlockingQueue<Stamped> queue = new LinkedBlockingQueue<>();
  private volatile Consumer<Stamped> listener = e -> { };

  ZkEvents(String connect, int sessionTimeoutMs) throws IOException, InterruptedException {
    CountDownLatch connected = new CountDownLatch(1);
    zk = new ZooKeeper(connect, sessionTimeoutMs, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    if (!connected.await(30, TimeUnit.SECONDS)) {
      throw new IOException("cannot connect to ZooKeeper at " + connect);
    }
    // As the servers: the ACLs let no one else read what the agents register.
    zk.addAuthInfo(BenchZkAuth.SERVER.authInfo().getScheme(), BenchZkAuth.SERVER.authInfo().getAuth());
  }

  ZooKeeper zk() {
    return zk;
  }

  /** Watches {@code path} and everything under it, from now on. */
  void watch(String path) throws Exception {
    zk.addWatch(path, this::onEvent, AddWatchMode.PERSISTENT_RECURSIVE);
  }

  /** Called on ZooKeeper's event thread for every event, before it is queued: must be quick. */
  void onEvent(Consumer<Stamped> l) {
    listener = l;
  }

  private void onEvent(WatchedEvent e) {
    if (e.getType() == Watcher.Event.EventType.None || e.getPath() == null) {
      return;
    }
    Stamped s = new Stamped(System.nanoTime(), e.getType(), e.getPath());
    listener.accept(s);
    queue.add(s);
  }

  /** The next event, or null after {@code timeoutMs}. */
  Stamped poll(long timeoutMs) throws InterruptedException {
    return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
  }

  void drain() {
    queue.clear();
  }

  @Override
  public void close() {
    try {
      zk.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
