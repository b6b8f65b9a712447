package io.shepherd.server.ingest;

import java.io.Closeable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent recursive watch whose notifications keep their zxid.
 *
 * <p>Curator (5.9.0) hands every watcher it registers a {@code NamespaceWatchedEvent}, rebuilt with the constructor
 * that has no zxid: {@code getZxid()} is then -1. So the watch is added on Curator's underlying {@link ZooKeeper}
 * handle. ZooKeeper re-registers it by itself when a connection is re-established within the same session; a new
 * session (after an expiry Curator builds a new handle) has none, so it is added again on every (re)connection,
 * which is harmless when it is still there. {@code onSet} runs (on ZooKeeper's event thread) each time the server
 * confirms it.
 */
public final class RootWatch implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RootWatch.class);

  private final CuratorFramework client;
  private final String path;
  private final Watcher watcher;
  private final Runnable onSet;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final ConnectionStateListener reconnect = (c, state) -> {
    if (state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED) {
      set();
    }
  };

  public RootWatch(CuratorFramework client, String path, Watcher watcher, Runnable onSet) {
    this.client = client;
    this.path = path;
    this.watcher = watcher;
    this.onSet = onSet;
  }

  public void start() {
    client.getConnectionStateListenable().addListener(reconnect);
    set();
  }

  private void set() {
    if (!open.get()) {
      return;
    }
    try {
      client.getZookeeperClient().getZooKeeper().addWatch(path, watcher, AddWatchMode.PERSISTENT_RECURSIVE,
          (rc, p, ctx) -> {
            if (rc == KeeperException.Code.OK.intValue()) {
              if (open.get()) {
                onSet.run();
              }
            } else {
              // The next (re)connection adds it again.
              LOG.info("watching {} failed: {}", path, KeeperException.Code.get(rc));
            }
          }, null);
    } catch (Exception e) {
      LOG.warn("cannot watch {} now, will on reconnection: {}", path, e.toString());
    }
  }

  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      client.getConnectionStateListenable().removeListener(reconnect);
      try {
        client.getZookeeperClient().getZooKeeper().removeWatches(path, watcher, Watcher.WatcherType.Any, true,
            (rc, p, ctx) -> { }, null);
      } catch (Exception e) {
        LOG.debug("removing the watch on {}: {}", path, e.toString());
      }
    }
  }
}
