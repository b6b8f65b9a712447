package io.shepherd.server.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;

/**
 * Reads the leader latch's participants in the background, without blocking the caller (ZooKeeper's event thread):
 * latch znode name to server id. Calls back once: with the participants (a participant gone meanwhile is left out),
 * or empty when the read failed.
 */
final class LatchRead {
  private final CuratorFramework client;
  private final String latch;
  private final Consumer<Optional<Map<String, String>>> done;
  private final Map<String, String> read = new ConcurrentHashMap<>();
  private final AtomicBoolean called = new AtomicBoolean();

  private LatchRead(CuratorFramework client, String latch, Consumer<Optional<Map<String, String>>> done) {
    this.client = client;
    this.latch = latch;
    this.done = done;
  }

  static void start(CuratorFramework client, String latch, Consumer<Optional<Map<String, String>>> done) {
    LatchRead r = new LatchRead(client, latch, done);
    try {
      client.getChildren().inBackground((c, e) -> r.onChildren(e)).forPath(latch);
    } catch (Exception e) {
      r.finish(Optional.empty());
    }
  }

  private void onChildren(CuratorEvent result) {
    if (result.getResultCode() == KeeperException.Code.NONODE.intValue()) {
      finish(Optional.of(Map.of()));
      return;
    }
    if (result.getResultCode() != KeeperException.Code.OK.intValue()) {
      finish(Optional.empty());
      return;
    }
    List<String> znodes = result.getChildren();
    if (znodes.isEmpty()) {
      finish(Optional.of(Map.of()));
      return;
    }
    AtomicInteger left = new AtomicInteger(znodes.size());
    for (String znode : znodes) {
      try {
        client.getData().inBackground((c, e) -> {
          if (e.getResultCode() == KeeperException.Code.OK.intValue()) {
            read.put(znode, new String(e.getData(), StandardCharsets.UTF_8));
          }
          if (left.decrementAndGet() == 0) {
            finish(Optional.of(Map.copyOf(read)));
          }
        }).forPath(latch + "/" + znode);
      } catch (Exception e) {
        finish(Optional.empty());
      }
    }
  }

  private void finish(Optional<Map<String, String>> participants) {
    if (called.compareAndSet(false, true)) {
      done.accept(participants);
    }
  }
}
