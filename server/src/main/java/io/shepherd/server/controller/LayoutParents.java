package io.shepherd.server.controller;

import io.shepherd.worker.zk.ZkLayout;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** The parent znodes every component expects; structure, not decisions, so not fenced. */
final class LayoutParents {
  private LayoutParents() {}

  /** Creates those of them that do not exist yet. */
  static void create(CuratorFramework client, ZkLayout layout) throws Exception {
    for (String path : List.of(layout.replicaSets(), layout.nodes(), layout.assignments(), layout.config(),
        layout.elections(), layout.exposed(), layout.copyElections())) {
      try {
        client.create().creatingParentsIfNeeded().forPath(path);
      } catch (KeeperException.NodeExistsException e) {
        // Created by an earlier run or another server.
      }
    }
  }
}
