package io.shepherd.server.testing;

import io.shepherd.worker.agent.AgentConfig;
import io.shepherd.worker.agent.LogServerConfig;
import io.shepherd.worker.agent.NodeAgent;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;

/** A node agent with its own ZooKeeper session, as a separate host would have. Closing it stops its copies. */
public final class TestAgent implements AutoCloseable {
  private final CuratorFramework client;
  private final NodeAgent agent;
  private boolean closed;

  public TestAgent(String connectString, String nodeId) throws Exception {
    this(connectString, nodeId, Files.createTempDirectory("shepherd-agent-" + nodeId));
  }

  /** An agent with a given data directory: the one a killed agent of the same node left (its next run). */
  public TestAgent(String connectString, String nodeId, Path dir) throws Exception {
    this(connectString, nodeId, dir, b -> b);
  }

  /** An agent whose configuration {@code configure} adjusts (its gateway, say). */
  public TestAgent(String connectString, String nodeId, Path dir, UnaryOperator<AgentConfig.Builder> configure)
      throws Exception {
    client = ZkClients.newClient(new ZkSettings(connectString, ZkLayout.DEFAULT_ROOT, Duration.ofSeconds(4),
        Duration.ofSeconds(2), TestZkAuth.agentAccess()));
    client.start();
    agent = new NodeAgent(client, ZkLayout.defaultLayout(), configure.apply(
        AgentConfig.builder(nodeId, dir).host("127.0.0.1").logServer(LogServerConfig.loopbackEphemeral())).build());
    agent.start();
  }

  public CuratorFramework client() {
    return client;
  }

  public NodeAgent agent() {
    return agent;
  }

  @Override
  public synchronized void close() throws Exception {
    if (!closed) {
      closed = true;
      try {
        agent.close();
      } finally {
        client.close();
      }
    }
  }
}
