package io.shepherd.server.ingest;

import java.io.Closeable;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * The {@link Ingest} of a server, wired to ZooKeeper: a {@link RootWatch} on the root hands it every notification;
 * each time the watch is set (on the first connection and every reconnection, in the same session or a new one)
 * the whole tree is read again. While the connection is suspended or lost the state counts as stale.
 */
public final class ZooKeeperIngest implements Closeable {
  private final CuratorFramework client;
  private final Ingest ingest;
  private final RootWatch watch;
  private final ConnectionStateListener lost;

  public ZooKeeperIngest(CuratorFramework client, String root, IngestSink sink) {
    this.client = client;
    this.ingest = new Ingest(new ZooKeeperReader(client, root), root, sink);
    this.watch = new RootWatch(client, root,
        event -> Notification.of(event).ifPresent(ingest::notify), ingest::resync);
    this.lost = (c, state) -> {
      if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
        sink.stale();
      }
    };
  }

  public void start() {
    ingest.start();
    client.getConnectionStateListenable().addListener(lost);
    watch.start();
  }

  @Override
  public void close() {
    watch.close();
    client.getConnectionStateListenable().removeListener(lost);
    ingest.close();
  }
}
