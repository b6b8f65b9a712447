package io.shepherd.worker.gateway;

import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RefusedPort;
import io.shepherd.worker.zk.Znodes;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Writes the ports a gateway does not listen on into its agent's node record ({@code /nodes/{nodeId}}), only when
 * they differ from what the record holds; the rest of the record is kept as read. Blocking: for the agent's thread,
 * not the gateway's.
 */
public final class RefusalPublisher {
  private static final int ATTEMPTS = 5;
  private final CuratorFramework client;
  private final String nodePath;

  public RefusalPublisher(CuratorFramework client, String nodePath) {
    this.client = client;
    this.nodePath = nodePath;
  }

  /**
   * Makes the node record's refused ports {@code refused}.
   *
   * @return whether the record holds them now; false if there is no record (the registration writes them)
   * @throws Exception if ZooKeeper cannot be read or written
   */
  public boolean publish(List<RefusedPort> refused) throws Exception {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Stat stat = new Stat();
      NodeRecord record;
      try {
        record = Znodes.NODE.decode(client.getData().storingStatIn(stat).forPath(nodePath));
      } catch (KeeperException.NoNodeException e) {
        return false;
      }
      if (record.refusedPorts().equals(refused)) {
        return true;
      }
      try {
        client.setData().withVersion(stat.getVersion()).forPath(nodePath,
            Znodes.NODE.encode(record.withRefusedPorts(refused)));
        return true;
      } catch (KeeperException.NoNodeException e) {
        return false;
      } catch (KeeperException.BadVersionException e) {
        // Written meanwhile (re-registered): read it again.
      }
    }
    throw new IllegalStateException(nodePath + " kept changing; its refused ports are not written");
  }
}
