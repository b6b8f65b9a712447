package io.shepherd.server.embedded;

import io.dropwizard.lifecycle.Managed;
import io.shepherd.worker.agent.AgentConfig;
import io.shepherd.worker.agent.NodeAgent;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import org.apache.curator.framework.CuratorFramework;

/**
 * The node agent of the one-machine default, inside the server process. It has its own ZooKeeper session, as a
 * separate agent process would, so that its copies' liveness never depends on the controller's session.
 */
public final class EmbeddedAgent implements Managed {
  private final CuratorFramework client;
  private final NodeAgent agent;

  public EmbeddedAgent(ZkSettings zk, ZkLayout layout, AgentConfig config) {
    this.client = ZkClients.newClient(zk);
    this.agent = new NodeAgent(client, layout, config);
  }

  @Override
  public void start() throws Exception {
    client.start();
    agent.start();
  }

  @Override
  public void stop() throws Exception {
    try {
      agent.close();
    } finally {
      client.close();
    }
  }

  public NodeAgent agent() {
    return agent;
  }
}
