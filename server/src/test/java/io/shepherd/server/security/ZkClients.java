package io.shepherd.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.worker.zk.ZkAcls;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;

/**
 * The ZooKeeper clients of the ACL tests, as each kind of caller connects (no credential, the agents' identity, the
 * servers'), closed together; and what those tests share: a running copy whose spec holds a secret, and a walk of the
 * tree.
 */
final class ZkClients implements AutoCloseable {
  /** The replica set whose spec holds a secret ({@code DB_PASSWORD=hunter2}). */
  static final String SPEC = "/shepherd/replicasets/secretive";

  private final List<CuratorFramework> clients = new ArrayList<>();

  /** A client that knows no credential. */
  CuratorFramework anonymous(String connect) throws Exception {
    return started(CuratorFrameworkFactory.builder().connectString(connect));
  }

  /** A client with the agents' identity, creating znodes as an agent does. */
  CuratorFramework agent(String connect) throws Exception {
    return started(CuratorFrameworkFactory.builder().connectString(connect)
        .authorization(List.of(TestZkAuth.AGENT.authInfo()))
        .aclProvider(new ZkAcls(ZkLayout.defaultLayout(), TestZkAuth.agentAccess())));
  }

  /** A client with the servers' identity. */
  CuratorFramework server(String connect) throws Exception {
    return started(TestZkAuth.serverBuilder(connect));
  }

  private CuratorFramework started(CuratorFrameworkFactory.Builder builder) throws Exception {
    CuratorFramework c = builder.retryPolicy(new RetryOneTime(100)).build();
    clients.add(c);
    c.start();
    assertThat(c.blockUntilConnected(20, TimeUnit.SECONDS)).isTrue();
    return c;
  }

  /**
   * Has the set {@code secretive} run one {@code sleep marker} copy on {@code node-a} (applied once per class) and
   * answers its assignment's path.
   */
  static String runningSecretCopy(Api api, String marker) throws Exception {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> api.nodes().size() == 1);
    if (api.get("secretive").isEmpty()) {
      api.apply("secretive", new ReplicaSetSpec(1, List.of("sleep", marker), Map.of("DB_PASSWORD", "hunter2"),
          Optional.empty(), null, null, null, null, null));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> api.instances("secretive").size() == 1);
    return "/shepherd/assignments/node-a/" + api.instances("secretive").get(0).id();
  }

  /** Every znode under {@code root}, itself included, skipping those gone while walking. */
  static List<String> walk(CuratorFramework client, String root) throws Exception {
    List<String> all = new ArrayList<>();
    Deque<String> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      String path = todo.pop();
      try {
        client.getChildren().forPath(path).forEach(c -> todo.push(path + "/" + c));
        all.add(path);
      } catch (KeeperException.NoNodeException e) {
        // gone meanwhile (an ephemeral, a latch participant)
      }
    }
    return all;
  }

  @Override
  public void close() {
    clients.forEach(CuratorFramework::close);
  }
}
