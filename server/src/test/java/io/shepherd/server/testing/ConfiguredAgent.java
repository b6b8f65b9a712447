package io.shepherd.server.testing;

import io.shepherd.worker.agent.AgentConfig;
import io.shepherd.worker.record.PortRange;
import io.shepherd.worker.agent.LaunchHooks;
import io.shepherd.worker.agent.LogServerConfig;
import io.shepherd.worker.agent.NodeAgent;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * A node agent with its own ZooKeeper session, like {@link TestAgent}, with the knobs fault scenarios need: capacity,
 * a data directory that a restarted agent can reuse (its leftovers are found there), and an optional launch hook.
 * Closing it stops its copies.
 */
public final class ConfiguredAgent implements AutoCloseable {
  private final CuratorFramework client;
  private final NodeAgent agent;
  private final String nodeId;
  private boolean closed;

  private ConfiguredAgent(Builder b) throws Exception {
    this.nodeId = b.nodeId;
    client = ZkClients.newClient(new ZkSettings(b.connectString, ZkLayout.DEFAULT_ROOT, b.sessionTimeout,
        Duration.ofSeconds(2), TestZkAuth.agentAccess()));
    client.start();
    Path dir = b.dataDir.isPresent() ? b.dataDir.get() : Files.createTempDirectory("shepherd-agent-" + b.nodeId);
    AgentConfig config = AgentConfig.builder(b.nodeId, dir).host("127.0.0.1").capacity(b.capacity)
        .logServer(LogServerConfig.loopbackEphemeral()).resyncInterval(b.resyncInterval).ports(b.ports).build();
    agent = b.afterLaunch.isPresent()
        ? LaunchHooks.agent(client, ZkLayout.defaultLayout(), config, b.afterLaunch.get())
        : new NodeAgent(client, ZkLayout.defaultLayout(), config);
    try {
      agent.start();
    } catch (Exception e) {
      client.close();
      throw e;
    }
  }

  public static Builder builder(String connectString, String nodeId) {
    return new Builder(connectString, nodeId);
  }

  public String nodeId() {
    return nodeId;
  }

  public CuratorFramework client() {
    return client;
  }

  public NodeAgent agent() {
    return agent;
  }

  /** Makes this agent's client behave as if its session expired (the server forgets it after its timeout). */
  public void expireSession() throws Exception {
    client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
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

  /** Options; every setter returns this builder. */
  public static final class Builder {
    private final String connectString;
    private final String nodeId;
    private int capacity = AgentConfig.DEFAULT_CAPACITY;
    private Optional<Path> dataDir = Optional.empty();
    private Optional<LaunchHooks.AfterLaunch> afterLaunch = Optional.empty();
    private Duration sessionTimeout = Duration.ofSeconds(4);
    private Duration resyncInterval = AgentConfig.DEFAULT_RESYNC_INTERVAL;
    private PortRange ports = PortRange.DEFAULT;

    private Builder(String connectString, String nodeId) {
      this.connectString = connectString;
      this.nodeId = nodeId;
    }

    public Builder capacity(int value) {
      this.capacity = value;
      return this;
    }

    /** Reuse this directory: an agent restarted on it stops the copies its previous run left. */
    public Builder dataDir(Path value) {
      this.dataDir = Optional.of(value);
      return this;
    }

    /** Called on the agent thread after each process started, before its registration is sent. */
    public Builder afterLaunch(LaunchHooks.AfterLaunch hook) {
      this.afterLaunch = Optional.of(hook);
      return this;
    }

    public Builder sessionTimeout(Duration value) {
      this.sessionTimeout = value;
      return this;
    }

    /** The range its copies' ports are picked from (agents on one host need ranges apart). */
    public Builder ports(PortRange value) {
      this.ports = value;
      return this;
    }

    public Builder resyncInterval(Duration value) {
      this.resyncInterval = value;
      return this;
    }

    public ConfiguredAgent start() throws Exception {
      return new ConfiguredAgent(this);
    }
  }
}
