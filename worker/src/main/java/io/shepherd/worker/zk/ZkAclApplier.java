package io.shepherd.worker.zk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;

/**
 * Gives every existing znode under the root the ACL {@link ZkAcls} gives its path: the migration of a tree made
 * before ACLs were on (every znode open), or after the ids of the servers or agents changed. Idempotent: a znode
 * whose ACL is already right is left alone. The client must be allowed to change each ACL (ADMIN): a server
 * identity on a tree it made, anyone on an open one, the ensemble's super user always.
 */
public final class ZkAclApplier {
  /** What a run did: znodes visited, znodes whose ACL changed, and the paths it could not change or read. */
  public record Result(int visited, int changed, List<String> failures) {
    public Result {
      failures = List.copyOf(failures);
    }
  }

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ZkAcls acls;

  public ZkAclApplier(CuratorFramework client, ZkLayout layout, ZkAccess access) {
    this.client = client;
    this.layout = layout;
    this.acls = new ZkAcls(layout, access);
  }

  /** Walks the tree under the root, depth first, each znode's ACL set before its children are listed. */
  public Result apply() throws Exception {
    int visited = 0;
    int changed = 0;
    List<String> failures = new ArrayList<>();
    Deque<String> todo = new ArrayDeque<>();
    if (client.checkExists().forPath(layout.root()) != null) {
      todo.push(layout.root());
    }
    while (!todo.isEmpty()) {
      String path = todo.pop();
      try {
        List<ACL> want = acls.getAclForPath(path);
        List<ACL> have = client.getACL().forPath(path);
        visited++;
        if (!new HashSet<>(have).equals(new HashSet<>(want))) {
          client.setACL().withACL(want).forPath(path);
          changed++;
        }
        for (String child : client.getChildren().forPath(path)) {
          todo.push(path.equals("/") ? "/" + child : path + "/" + child);
        }
      } catch (KeeperException.NoNodeException e) {
        // Gone meanwhile (an ephemeral whose session ended): nothing to protect.
      } catch (KeeperException.NoAuthException e) {
        failures.add(path + ": not allowed (this identity lacks ADMIN or READ on it)");
      }
    }
    return new Result(visited, changed, failures);
  }
}
