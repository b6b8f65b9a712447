package io.shepherd.server.testing;

import io.shepherd.worker.zk.ZkAccess;
import io.shepherd.worker.zk.ZkAcls;
import io.shepherd.worker.zk.ZkCredential;
import io.shepherd.worker.zk.ZkLayout;
import java.util.List;
import java.util.Optional;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;

/**
 * The ZooKeeper identities of the tests: every test server (test-server.yml, {@link ServerProcess}) authenticates
 * as {@link #SERVER}, every test agent as {@link #AGENT}, so the integration tests run with ACLs on every znode.
 * Test code that plays an operator or a controller by hand uses {@link #serverClient}.
 */
public final class TestZkAuth {
  public static final ZkCredential SERVER = new ZkCredential("test-server", "test-server-secret");
  public static final ZkCredential AGENT = new ZkCredential("test-agent", "test-agent-secret");

  private TestZkAuth() {}

  /** A server's access: authenticated as {@link #SERVER}, admitting {@link #AGENT}. */
  public static ZkAccess serverAccess() {
    return ZkAccess.server(Optional.of(SERVER), List.of(), List.of(AGENT.id()));
  }

  /** An agent's access: authenticated as {@link #AGENT}, admitting {@link #SERVER}. */
  public static ZkAccess agentAccess() {
    return ZkAccess.agent(Optional.of(AGENT), List.of(SERVER.id()), List.of());
  }

  /** {@code -Ddw.} overrides (without the prefix) that give a server process {@link #SERVER} and admit agents. */
  public static List<String> serverOverrides() {
    return List.of("zookeeper.auth.user=" + SERVER.user(), "zookeeper.auth.password=test-server-secret",
        "zookeeper.acl.agents=digest:" + AGENT.id().getId());
  }

  /** The {@code auth} and {@code acl} of an agent's YAML {@code zookeeper:} section, in flow style. */
  public static String agentYaml() {
    return "auth: {user: " + AGENT.user() + ", password: test-agent-secret}, acl: {servers: ['digest:"
        + SERVER.id().getId() + "']}";
  }

  /** An unstarted client authenticated as {@link #SERVER}, creating znodes with the servers' ACLs. */
  public static CuratorFramework serverClient(String connectString, RetryPolicy retry) {
    return serverBuilder(connectString).retryPolicy(retry).build();
  }

  /** A builder authenticated as {@link #SERVER}, creating znodes with the servers' ACLs. */
  public static CuratorFrameworkFactory.Builder serverBuilder(String connectString) {
    return CuratorFrameworkFactory.builder().connectString(connectString)
        .authorization(List.of(SERVER.authInfo()))
        .aclProvider(new ZkAcls(ZkLayout.defaultLayout(), serverAccess()));
  }
}
