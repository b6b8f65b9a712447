package io.shepherd.server.api;

import io.shepherd.api.Expose;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.worker.record.ExposedRecord;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The gateway ports replica sets claim: {@code /exposed/{port}} names the set exposing that port. A claim is made,
 * moved and released in the same transaction as the spec write that changes it, so a port is exposed by at most one
 * replica set: a claim another set holds is a 409 naming {@code expose.port}, before or (raced) during the write.
 */
final class ExposeClaims {
  private final CuratorFramework client;
  private final ZkLayout layout;
  private volatile boolean parentKnown;

  ExposeClaims(CuratorFramework client, ZkLayout layout) {
    this.client = client;
    this.layout = layout;
  }

  /**
   * The operations that move {@code name}'s claim from what {@code before} exposes to what {@code after} exposes
   * (either may be null); none when nothing changes.
   *
   * @throws ApiException 409 if another replica set exposes the port {@code after} wants
   */
  List<CuratorOp> change(String name, ReplicaSetSpec before, ReplicaSetSpec after) throws Exception {
    Expose old = before == null ? null : before.expose();
    Expose wanted = after == null ? null : after.expose();
    if (Objects.equals(old, wanted)) {
      return List.of();
    }
    List<CuratorOp> ops = new ArrayList<>();
    if (old != null && (wanted == null || !old.port().equals(wanted.port()))) {
      release(name, old.port()).ifPresent(ops::add);
    }
    if (wanted != null) {
      ensureParent();
      byte[] data = Znodes.EXPOSED.encode(new ExposedRecord(name, wanted.targetPort()));
      String path = layout.exposedPort(wanted.port());
      Stat stat = new Stat();
      Optional<ExposedRecord> holder = read(path, stat);
      if (holder.isEmpty()) {
        ops.add(client.transactionOp().create().forPath(path, data));
      } else if (holder.get().replicaSet().equals(name)) {
        ops.add(client.transactionOp().setData().withVersion(stat.getVersion()).forPath(path, data));
      } else {
        throw taken(wanted.port(), holder.get().replicaSet());
      }
    }
    return ops;
  }

  /** The 409 for a claim found taken while the transaction ran (its create met NODEEXISTS). */
  ApiException takenByRace(ReplicaSetSpec after) throws Exception {
    int port = after.expose().port();
    String holder = read(layout.exposedPort(port), new Stat()).map(ExposedRecord::replicaSet).orElse("another set");
    return taken(port, holder);
  }

  private Optional<CuratorOp> release(String name, int port) throws Exception {
    String path = layout.exposedPort(port);
    Stat stat = new Stat();
    Optional<ExposedRecord> holder = read(path, stat);
    if (holder.isPresent() && holder.get().replicaSet().equals(name)) {
      return Optional.of(client.transactionOp().delete().withVersion(stat.getVersion()).forPath(path));
    }
    return Optional.empty();
  }

  private Optional<ExposedRecord> read(String path, Stat stat) throws Exception {
    try {
      return Optional.of(Znodes.EXPOSED.decode(client.getData().storingStatIn(stat).forPath(path)));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  private void ensureParent() throws Exception {
    if (parentKnown) {
      return;
    }
    try {
      client.create().creatingParentsIfNeeded().forPath(layout.exposed());
    } catch (KeeperException.NodeExistsException e) {
      // made before
    }
    parentKnown = true;
  }

  private static ApiException taken(int port, String holder) {
    return new ApiException(409, "expose.port " + port + " is already exposed by replica set " + holder,
        Optional.of("expose.port"));
  }
}
