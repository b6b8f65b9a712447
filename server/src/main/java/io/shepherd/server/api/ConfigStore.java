package io.shepherd.server.api;

import io.shepherd.api.ETags;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.ConfigChange;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Configuration values in ZooKeeper: read from the cache, written compare-and-set on the znode's version. Each write
 * also records the change (its key and who made it, never the value) in the data of the set's {@code /config/{name}}
 * in the same transaction, for its event ({@link ConfigChange}).
 */
public final class ConfigStore implements ConfigValues {
  private static final int MAX_ATTEMPTS = 3;

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ClusterView view;

  public ConfigStore(CuratorFramework client, ZkLayout layout, ClusterView view) {
    this.client = client;
    this.layout = layout;
    this.view = view;
  }

  @Override
  public Optional<Versioned<String>> get(String name, String key) {
    return view.configValue(name, key);
  }

  @Override
  public int put(String name, String key, String value, OptionalInt ifMatch, String by) throws Exception {
    byte[] data = Znodes.CONFIG_VALUE.encode(value);
    String path = layout.configValue(name, key);
    byte[] change = ServerZnodes.CONFIG_CHANGE.encode(ConfigChange.set(key, by));
    try {
      List<CuratorTransactionResult> results = client.transaction().forOperations(
          client.transactionOp().setData().withVersion(ifMatch.orElse(-1)).forPath(path, data),
          client.transactionOp().setData().forPath(layout.configOf(name), change));
      return results.get(0).getResultStat().getVersion();
    } catch (KeeperException.NoNodeException e) {
      if (ifMatch.isPresent()) {
        throw ApiException.preconditionFailed("config value " + name + "/" + key + " does not exist");
      }
    } catch (KeeperException.BadVersionException e) {
      throw ApiException.preconditionFailed(
          "config value " + name + "/" + key + " changed since the version If-Match names");
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      createParent(name);
      try {
        client.transaction().forOperations(
            client.transactionOp().create().forPath(path, data),
            client.transactionOp().setData().forPath(layout.configOf(name), change));
        return 0;
      } catch (KeeperException.NodeExistsException raced) {
        throw ApiException.conflict("config value " + name + "/" + key + " was created concurrently; try again");
      } catch (KeeperException.NoNodeException gone) {
        // ZooKeeper removed the set's emptied container meanwhile: make it again.
      }
    }
    throw ApiException.conflict("config value " + name + "/" + key + " could not be created; try again");
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

  @Override
  public void delete(String name, String key, OptionalInt ifMatch, String by) throws Exception {
    try {
      client.transaction().forOperations(
          client.transactionOp().delete().withVersion(ifMatch.orElse(-1)).forPath(layout.configValue(name, key)),
          client.transactionOp().setData().forPath(layout.configOf(name),
              ServerZnodes.CONFIG_CHANGE.encode(ConfigChange.deleted(key, by))));
    } catch (KeeperException.NoNodeException e) {
      throw ApiException.notFound("config value " + name + "/" + key);
    } catch (KeeperException.BadVersionException e) {
      throw ApiException.preconditionFailed(
          "config value " + name + "/" + key + " changed since " + ETags.of(ifMatch.getAsInt()));
    }
  }
}
