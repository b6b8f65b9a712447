package io.shepherd.worker.agent;

import io.shepherd.worker.zk.Znodes;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a copy's {@code ready} flag on its instance znode: a {@code setData} on the agent's own ephemeral node,
 * asynchronous. A node already gone (the copy ended, the session expired) is nothing to write. Each write completes
 * with whether ZooKeeper acknowledged it, so that a stop can wait for its unready flag before the SIGTERM.
 */
final class ReadinessWrites {
  private static final Logger LOG = LoggerFactory.getLogger(ReadinessWrites.class);
  private final CuratorFramework client;
  private final InstanceWrites writes;
  private final String host;

  ReadinessWrites(CuratorFramework client, InstanceWrites writes, String host) {
    this.client = client;
    this.writes = writes;
    this.host = host;
  }

  CompletableFuture<Boolean> setReady(Copy copy, boolean ready) {
    CompletableFuture<Boolean> written = new CompletableFuture<>();
    if (copy.registration() != Copy.Registration.REGISTERED || !client.getZookeeperClient().isConnected()) {
      written.complete(false);
      if (copy.registration() != Copy.Registration.REGISTERED) {
        return written;
      }
    }
    byte[] data = Znodes.INSTANCE.encode(copy.instanceRecord(host).withReady(ready));
    try {
      client.setData().inBackground((c, event) -> {
        Code code = Code.get(event.getResultCode());
        if (code != Code.OK && code != Code.NONODE) {
          LOG.warn("cannot mark {} {}: {}", copy, ready ? "ready" : "unready", code);
        }
        written.complete(code == Code.OK);
      }).forPath(writes.instancePath(copy), data);
    } catch (Exception e) {
      LOG.warn("cannot mark {} {}", copy, ready ? "ready" : "unready", e);
      written.complete(false);
    }
    return written;
  }
}
