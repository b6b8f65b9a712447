package io.shepherd.worker.zk;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * The ACL of every znode Shepherd creates: the servers' ids may do everything, the agents' ids what
 * {@link ZkLayout#agentPermissions} grants on that path, nobody else anything. Curator asks it for every znode a
 * client creates, parents made on the way included.
 */
public final class ZkAcls implements ACLProvider {
  private final ZkLayout layout;
  private final ZkAccess access;

  public ZkAcls(ZkLayout layout, ZkAccess access) {
    if (!access.restricted()) {
      throw new IllegalArgumentException("open access has no ACLs");
    }
    this.layout = layout;
    this.access = access;
  }

  @Override
  public List<ACL> getDefaultAcl() {
    return servers();
  }

  @Override
  public List<ACL> getAclForPath(String path) {
    List<ACL> acl = servers();
    int agents = layout.agentPermissions(path);
    if (agents != 0) {
      for (Id id : access.agents()) {
        if (!access.servers().contains(id)) {
          acl.add(new ACL(agents, id));
        }
      }
    }
    return acl;
  }

  private List<ACL> servers() {
    List<ACL> acl = new ArrayList<>();
    access.servers().forEach(id -> acl.add(new ACL(ZooDefs.Perms.ALL, id)));
    return acl;
  }
}
