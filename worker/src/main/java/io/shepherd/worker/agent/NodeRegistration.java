package io.shepherd.worker.agent;

import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RefusedPort;
import io.shepherd.worker.zk.Znodes;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's ephemeral {@code /nodes/{nodeId}} and its persistent {@code /assignments/{nodeId}}. A registration
 * owned by another session (this agent's previous run, whose session has not expired yet) is deleted and replaced:
 * nothing may run believing a stale node is its own. Agent thread only.
 */
final class NodeRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);
  private static final int ATTEMPTS = 5;
  private final AgentContext ctx;
  private final Supplier<Optional<String>> logsUrl;
  private final Supplier<List<RefusedPort>> refusedPorts;
  private volatile long session;

  NodeRegistration(AgentContext ctx, Supplier<Optional<String>> logsUrl, Supplier<List<RefusedPort>> refusedPorts) {
    this.ctx = ctx;
    this.logsUrl = logsUrl;
    this.refusedPorts = refusedPorts;
  }

  /** The session the node is registered in; empty before the first registration and after {@link #forget}. */
  OptionalLong session() {
    long s = session;
    return s == 0 ? OptionalLong.empty() : OptionalLong.of(s);
  }

  /** Forgets the registration: its session expired. */
  void forget() {
    session = 0;
  }

  /** Makes {@code /nodes/{nodeId}} an ephemeral of {@code sessionId}, and ensures {@code /assignments/{nodeId}}. */
  void ensure(long sessionId) throws Exception {
    CuratorFramework client = ctx.client();
    String nodeId = ctx.config().nodeId();
    String assignments = ctx.layout().assignmentsOf(nodeId);
    if (client.checkExists().forPath(assignments) == null) {
      try {
        client.create().creatingParentsIfNeeded().forPath(assignments);
      } catch (KeeperException.NodeExistsException e) {
        LOG.debug("{} created concurrently", assignments);
      }
    }
    String node = ctx.layout().node(nodeId);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Stat stat = client.checkExists().forPath(node);
      if (stat != null && stat.getEphemeralOwner() == sessionId) {
        session = sessionId;
        return;
      }
      if (stat != null) {
        LOG.warn("{} belongs to session 0x{}, not ours (0x{}): replacing it", node,
            Long.toHexString(stat.getEphemeralOwner()), Long.toHexString(sessionId));
        try {
          client.delete().withVersion(stat.getVersion()).forPath(node);
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
          continue;
        }
      }
      try {
        client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(node, record());
        LOG.info("registered node {} in session 0x{}", nodeId, Long.toHexString(sessionId));
        session = sessionId;
        return;
      } catch (KeeperException.NodeExistsException e) {
        LOG.debug("{} created concurrently; checking its owner again", node);
      }
    }
    throw new IllegalStateException("cannot register " + node + " after " + ATTEMPTS + " attempts");
  }

  /** Deletes the registration if it is ours; for a clean shutdown. */
  void deregister() throws Exception {
    long s = session;
    String node = ctx.layout().node(ctx.config().nodeId());
    Stat stat = ctx.client().checkExists().forPath(node);
    if (s != 0 && stat != null && stat.getEphemeralOwner() == s) {
      ctx.client().delete().withVersion(stat.getVersion()).forPath(node);
    }
    session = 0;
  }

  private byte[] record() {
    AgentConfig c = ctx.config();
    return Znodes.NODE.encode(
        new NodeRecord(c.nodeId(), c.host(), c.capacity(), c.labels(), logsUrl.get(), ctx.clock().instant(),
            Optional.of(c.ports()), refusedPorts.get()));
  }
}
