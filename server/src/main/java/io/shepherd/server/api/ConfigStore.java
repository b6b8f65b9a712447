package io.shepherd.server.api;

import io.shepherd.api.ETags;
import io.shepherd.api.RolloutReason;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.ConfigChange;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Configuration values in ZooKeeper. A read is one read of ZooKeeper, not of the view, so a caller reads at once what
 * it wrote through this server (its session sees its own writes). Each write reads the value and the set's spec from
 * ZooKeeper (never from the view, which may lag), decides from them ({@link ConfigRestarts}), and commits in one
 * transaction: the value at the version read; the change (its key and who made it, never the value) in the data of
 * the set's {@code /config/{name}}, for its event ({@link ConfigChange}); and either the set's rolling restart (a new
 * revision of the same template, cause {@code RESTART}, at the spec's version read) or a check that the spec is still
 * at that version. So the files never change without the restart their set asks for, a spec changed meanwhile is
 * decided again, and a refusal leaves nothing written. A race reads again, at most {@link CompareAndSet#MAX_ATTEMPTS}
 * times, then is a 409.
 */
public final class ConfigStore implements ConfigValues {
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final NewRevision revisions;
  /** Runs between the reads and the transaction: a test's way to land another write exactly there. */
  private final Runnable afterRead;

  public ConfigStore(CuratorFramework client, ZkLayout layout, ClusterView view, Clock clock) {
    this(client, layout, view, clock, () -> { });
  }

  ConfigStore(CuratorFramework client, ZkLayout layout, ClusterView view, Clock clock, Runnable afterRead) {
    this.client = client;
    this.layout = layout;
    this.revisions = new NewRevision(client, layout, view, clock);
    this.afterRead = afterRead;
  }

  @Override
  public Optional<Versioned<String>> get(String name, String key) throws Exception {
    Stat stat = new Stat();
    return readValue(layout.configValue(name, key), stat).map(v -> new Versioned<>(v, stat.getVersion()));
  }

  @Override
  public Written put(String name, String key, String value, OptionalInt ifMatch, String by) throws Exception {
    return write(name, key, Optional.of(value), ifMatch, by);
  }

  @Override
  public Written delete(String name, String key, OptionalInt ifMatch, String by) throws Exception {
    return write(name, key, Optional.empty(), ifMatch, by);
  }

  /** Sets ({@code wanted} present) or deletes the value. */
  private Written write(String name, String key, Optional<String> wanted, OptionalInt ifMatch, String by)
      throws Exception {
    String path = layout.configValue(name, key);
    // Every attempt checks If-Match against what it read, so a race is read again without it and becomes a 412 then.
    return CompareAndSet.run(OptionalInt.empty(), () -> tooOften(name, key), () -> tooOften(name, key), () -> {
      Stat setStat = new Stat();
      Optional<StoredReplicaSet> set = readSet(name, setStat);
      Stat valueStat = new Stat();
      Optional<String> current = readValue(path, valueStat);
      afterRead.run();
      checkIfMatch(name, key, wanted, current, valueStat.getVersion(), ifMatch);
      ConfigRestarts.Outcome outcome = ConfigRestarts.decide(current, wanted, set);
      if (outcome == ConfigRestarts.Outcome.UNCHANGED) {
        return new Written(valueStat.getVersion(), outcome);
      }
      List<CuratorOp> ops = new ArrayList<>();
      if (current.isEmpty()) {
        createParent(name);
        ops.add(client.transactionOp().create().forPath(path, Znodes.CONFIG_VALUE.encode(wanted.orElseThrow())));
      } else if (wanted.isPresent()) {
        ops.add(client.transactionOp().setData().withVersion(valueStat.getVersion())
            .forPath(path, Znodes.CONFIG_VALUE.encode(wanted.get())));
      } else {
        ops.add(client.transactionOp().delete().withVersion(valueStat.getVersion()).forPath(path));
      }
      ConfigChange change = wanted.isPresent() ? ConfigChange.set(key, by) : ConfigChange.deleted(key, by);
      ops.add(client.transactionOp().setData()
          .forPath(layout.configOf(name), ServerZnodes.CONFIG_CHANGE.encode(change)));
      Optional<NewRevision.Prepared> restart = Optional.empty();
      if (outcome == ConfigRestarts.Outcome.WRITE_AND_RESTART) {
        StoredReplicaSet s = set.orElseThrow();
        restart = Optional.of(revisions.prepare(name, s.newRevision(s.spec(), by, RolloutReason.RESTART),
            setStat.getVersion()));
        ops.addAll(restart.get().ops());
      } else if (set.isPresent()) {
        ops.add(client.transactionOp().check().withVersion(setStat.getVersion()).forPath(layout.replicaSet(name)));
      }
      try {
        client.transaction().forOperations(ops);
      } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
          | KeeperException.NodeExistsException raced) {
        // The value or the spec changed since they were read, the set's container went, or the view was behind on
        // the revisions: nothing was written; read again.
        throw new KeeperException.BadVersionException(path);
      }
      restart.ifPresent(revisions::committed);
      int version = current.isEmpty() ? 0 : valueStat.getVersion() + (wanted.isPresent() ? 1 : 0);
      return new Written(version, outcome);
    });
  }

  private Optional<StoredReplicaSet> readSet(String name, Stat stat) throws Exception {
    try {
      return Optional.of(
          ServerZnodes.SPEC.decode(client.getData().storingStatIn(stat).forPath(layout.replicaSet(name))));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  private Optional<String> readValue(String path, Stat stat) throws Exception {
    try {
      return Optional.of(Znodes.CONFIG_VALUE.decode(client.getData().storingStatIn(stat).forPath(path)));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  private static void checkIfMatch(String name, String key, Optional<String> wanted, Optional<String> current,
      int version, OptionalInt ifMatch) {
    if (current.isEmpty() && wanted.isEmpty()) {
      throw ApiException.notFound("config value " + name + "/" + key);
    }
    if (ifMatch.isEmpty()) {
      return;
    }
    if (current.isEmpty()) {
      throw ApiException.preconditionFailed("config value " + name + "/" + key + " does not exist");
    }
    if (ifMatch.getAsInt() != version) {
      throw ApiException.preconditionFailed(
          "config value " + name + "/" + key + " changed since " + ETags.of(ifMatch.getAsInt()));
    }
  }

  /** The set's {@code /config/{name}}, a container (ZooKeeper removes it once its last value is deleted). */
  private void createParent(String name) throws Exception {
    try {
      client.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER)
          .forPath(layout.configOf(name), new byte[0]);
    } catch (KeeperException.NodeExistsException e) {
      // there already
    }
  }

  private static ApiException tooOften(String name, String key) {
    return ApiException.conflict("config value " + name + "/" + key + " or its replica set changed too often under "
        + "this request; nothing was written, try again");
  }
}
