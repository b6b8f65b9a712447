package io.shepherd.server.api;

import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.worker.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** The breaker's {@code /breaker} znode: read from the cache, overwritten unconditionally. */
public final class BreakerStore implements BreakerControl {
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ClusterView view;

  public BreakerStore(CuratorFramework client, ZkLayout layout, ClusterView view) {
    this.client = client;
    this.layout = layout;
    this.view = view;
  }

  @Override
  public BreakerState current() {
    return view.breaker();
  }

  @Override
  public void store(BreakerState state) throws Exception {
    byte[] data = ServerZnodes.BREAKER.encode(state);
    try {
      client.setData().forPath(layout.breaker(), data);
    } catch (KeeperException.NoNodeException e) {
      try {
        client.create().forPath(layout.breaker(), data);
      } catch (KeeperException.NodeExistsException raced) {
        client.setData().forPath(layout.breaker(), data);
      }
    }
  }
}
