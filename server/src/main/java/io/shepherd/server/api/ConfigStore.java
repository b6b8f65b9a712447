package io.shepherd.server.api;

import io.shepherd.api.ETags;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/** Configuration values in ZooKeeper: read from the cache, written compare-and-set on the znode's version. */
public final class ConfigStore implements ConfigValues {
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
  public int put(String name, String key, String value, OptionalInt ifMatch) throws Exception {
    byte[] data = Znodes.CONFIG_VALUE.encode(value);
    String path = layout.configValue(name, key);
    try {
      Stat stat = client.setData().withVersion(ifMatch.orElse(-1)).forPath(path, data);
      return stat.getVersion();
    } catch (KeeperException.NoNodeException e) {
      if (ifMatch.isPresent()) {
        throw ApiException.preconditionFailed("config value " + name + "/" + key + " does not exist");
      }
      try {
        client.create().creatingParentContainersIfNeeded().forPath(path, data);
        return 0;
      } catch (KeeperException.NodeExistsException raced) {
        throw ApiException.conflict("config value " + name + "/" + key + " was created concurrently; try again");
      }
    } catch (KeeperException.BadVersionException e) {
      throw ApiException.preconditionFailed(
          "config value " + name + "/" + key + " changed since the version If-Match names");
    }
  }

  @Override
  public void delete(String name, String key, OptionalInt ifMatch) throws Exception {
    try {
      client.delete().withVersion(ifMatch.orElse(-1)).forPath(layout.configValue(name, key));
    } catch (KeeperException.NoNodeException e) {
      throw ApiException.notFound("config value " + name + "/" + key);
    } catch (KeeperException.BadVersionException e) {
      throw ApiException.preconditionFailed(
          "config value " + name + "/" + key + " changed since " + ETags.of(ifMatch.getAsInt()));
    }
  }
}
