package io.shepherd.worker.agent;

import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's side of its copies' elections: one ephemeral sequential znode, in the agent's session, under
 * {@code /copy-elections/{replicaSet}} for each copy while it is ready ({@link CopyElection} says who leads). A copy
 * joins when it becomes ready and leaves when it becomes unready, is stopped or ends; its znode goes with the
 * agent's session too. Copies hold no ZooKeeper connection.
 *
 * <p>Creates are protected (Curator finds its own node again after a connection loss) and asynchronous; a create
 * that failed is sent again by {@link #resync}. Thread-safe.
 */
final class CopyElections {
  private static final Logger LOG = LoggerFactory.getLogger(CopyElections.class);
  private static final String PREFIX = "n_";

  /** One copy's participation: its znode once created; whether a create is in flight. */
  private record Entry(Optional<String> path, boolean creating) {}

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final Map<Copy, Entry> joined = new IdentityHashMap<>();

  CopyElections(CuratorFramework client, ZkLayout layout) {
    this.client = client;
    this.layout = layout;
  }

  /** The copy is ready: it takes part (idempotent). */
  void join(Copy copy) {
    synchronized (this) {
      if (joined.containsKey(copy)) {
        return;
      }
      joined.put(copy, new Entry(Optional.empty(), true));
    }
    create(copy);
  }

  /** The copy is unready, stopping or ended: it leaves (idempotent). */
  void leave(Copy copy) {
    Entry entry;
    synchronized (this) {
      entry = joined.remove(copy);
    }
    if (entry != null) {
      entry.path().ifPresent(this::delete);
    }
  }

  /** The znode of the copy's participation; empty if it takes no part, or its create is not done. */
  synchronized Optional<String> pathOf(Copy copy) {
    Entry e = joined.get(copy);
    return e == null ? Optional.empty() : e.path();
  }

  /** Sends the creates that failed again. */
  void resync() {
    List<Copy> retry;
    synchronized (this) {
      retry = joined.entrySet().stream().filter(e -> e.getValue().path().isEmpty() && !e.getValue().creating())
          .map(Map.Entry::getKey).toList();
      retry.forEach(c -> joined.put(c, new Entry(Optional.empty(), true)));
    }
    retry.forEach(this::create);
  }

  private void create(Copy copy) {
    try {
      client.create().creatingParentContainersIfNeeded().withProtection().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
          .inBackground((c, event) -> created(copy, Code.get(event.getResultCode()), event.getName()))
          .forPath(layout.copyElection(copy.replicaSet()) + "/" + PREFIX,
              Znodes.COPY_ELECTION_ENTRY.encode(copy.instanceId()));
    } catch (Exception e) {
      created(copy, Code.SYSTEMERROR, null);
    }
  }

  private void created(Copy copy, Code code, String path) {
    boolean stale;
    synchronized (this) {
      boolean wanted = joined.containsKey(copy);
      if (code == Code.OK && wanted) {
        joined.put(copy, new Entry(Optional.of(path), false));
        return;
      }
      if (wanted) {
        joined.put(copy, new Entry(Optional.empty(), false));
      }
      stale = code == Code.OK;
    }
    if (stale) {
      delete(path); // the copy left while its create was in flight
    } else {
      LOG.warn("{} cannot join the election of {}: {}; trying again at the next resync", copy, copy.replicaSet(),
          code);
    }
  }

  private void delete(String path) {
    try {
      client.delete().guaranteed().inBackground().forPath(path);
    } catch (Exception e) {
      LOG.warn("cannot leave the election at {}; it goes with the session", path, e);
    }
  }
}
