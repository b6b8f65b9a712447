package io.shepherd.server.faults;

import io.shepherd.worker.zk.ZkLayout;
import java.util.HashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/**
 * How many assignments were ever created, as ZooKeeper itself counts them: every create or delete of a child bumps
 * its parent's {@code cversion}, so between two ledgers no spawn can slip by unseen, not even one created and
 * deleted again while a watcher was disconnected. Per node: creates = (changes + growth) / 2.
 */
record AssignmentLedger(Map<String, Stat> parents) {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();

  static AssignmentLedger read(CuratorFramework zk) throws Exception {
    Map<String, Stat> parents = new HashMap<>();
    for (String node : zk.getChildren().forPath(LAYOUT.assignments())) {
      Stat stat = zk.checkExists().forPath(LAYOUT.assignmentsOf(node));
      if (stat != null) {
        parents.put(node, stat);
      }
    }
    return new AssignmentLedger(parents);
  }

  /** Assignments created between {@code before} and this ledger, of every replica set and node. */
  int createdSince(AssignmentLedger before) {
    int created = 0;
    for (Map.Entry<String, Stat> e : parents.entrySet()) {
      Stat then = before.parents().get(e.getKey());
      int changes = e.getValue().getCversion() - (then == null ? 0 : then.getCversion());
      int growth = e.getValue().getNumChildren() - (then == null ? 0 : then.getNumChildren());
      created += (changes + growth) / 2;
    }
    return created;
  }

  /** Assignments deleted between {@code before} and this ledger. */
  int deletedSince(AssignmentLedger before) {
    int deleted = 0;
    for (Map.Entry<String, Stat> e : before.parents().entrySet()) {
      Stat now = parents.get(e.getKey());
      if (now != null) {
        deleted += ((now.getCversion() - e.getValue().getCversion())
            - (now.getNumChildren() - e.getValue().getNumChildren())) / 2;
      }
    }
    return deleted;
  }
}
