package io.shepherd.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.ZooKeeperEnsembleExtension;
import io.shepherd.worker.zk.ZkAcls;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.apache.curator.test.InstanceSpec;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ZooKeeper ACLs on a three-server ensemble, once two Shepherd servers (one with its agent) have made their tree on
 * it: every ZooKeeper server of the ensemble refuses a client that knows no credential, reading a spec or writing an
 * assignment, and refuses the agents' identity a spec. {@link ZkAclIT} shows the same on one ZooKeeper server.
 */
class ZkAclEnsembleIT {
  private static final Path AGENT_DIR = LocalHttp.tempDir("shepherd-zkacl-ensemble-agent");
  private static final String SPEC = "/shepherd/replicasets/secretive";

  @RegisterExtension
  static final ZooKeeperEnsembleExtension ENSEMBLE = new ZooKeeperEnsembleExtension();

  @RegisterExtension
  static final ServerExtension FIRST =
      ServerExtension.withLocalAgent(ENSEMBLE::connectString, "node-a", AGENT_DIR);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ENSEMBLE::connectString);

  private final List<CuratorFramework> clients = new ArrayList<>();
  private String assignment;

  @BeforeEach
  void aRunningCopy() throws Exception {
    Api api = new Api(FIRST.baseUrl());
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> api.nodes().size() == 1);
    if (api.get("secretive").isEmpty()) {
      api.apply("secretive", new ReplicaSetSpec(1, List.of("sleep", "3519"), Map.of("DB_PASSWORD", "hunter2"),
          Optional.empty(), null, null, null, null, null));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> api.instances("secretive").size() == 1);
    assignment = "/shepherd/assignments/node-a/" + api.instances("secretive").get(0).id();
  }

  @AfterEach
  void close() {
    clients.forEach(CuratorFramework::close);
  }

  private CuratorFramework started(CuratorFrameworkFactory.Builder builder) throws Exception {
    CuratorFramework c = builder.retryPolicy(new RetryOneTime(100)).build();
    clients.add(c);
    c.start();
    assertThat(c.blockUntilConnected(20, TimeUnit.SECONDS)).isTrue();
    return c;
  }

  /** A client of one ZooKeeper server of the ensemble only, that knows no credential. */
  private CuratorFramework anonymousOn(InstanceSpec zk) throws Exception {
    return started(CuratorFrameworkFactory.builder().connectString(zk.getConnectString()));
  }

  @Test
  void everyServerOfTheEnsembleRefusesAClientWithoutACredentialASpecAndAnAssignment() throws Exception {
    CuratorFramework server = started(TestZkAuth.serverBuilder(ENSEMBLE.connectString()));
    assertThat(new String(server.getData().forPath(SPEC), StandardCharsets.UTF_8)).contains("hunter2");
    assertThat(server.getData().forPath(assignment)).isNotEmpty();

    for (InstanceSpec zk : ENSEMBLE.servers()) {
      CuratorFramework anonymous = anonymousOn(zk);
      // A follower may answer a read before it has the write: once it has the znode, it must refuse it.
      await().atMost(Duration.ofSeconds(10)).ignoreException(KeeperException.NoNodeException.class)
          .untilAsserted(() -> assertThatThrownBy(() -> anonymous.getData().forPath(SPEC))
              .as("reading the spec on %s", zk.getConnectString())
              .isInstanceOf(KeeperException.NoAuthException.class));
      assertThatThrownBy(() -> anonymous.getChildren().forPath("/shepherd/replicasets"))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> anonymous.getData().forPath(assignment))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> anonymous.setData().forPath(assignment, "{}".getBytes()))
          .as("writing the assignment on %s", zk.getConnectString())
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> anonymous.create().forPath("/shepherd/assignments/node-a/forged", "{}".getBytes()))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> anonymous.setData().forPath(SPEC, "{\"replicas\":9}".getBytes()))
          .isInstanceOf(KeeperException.NoAuthException.class);
    }
  }

  @Test
  void anAgentsIdentityCannotWriteOrReadASpecOnAnyServerOfTheEnsemble() throws Exception {
    for (InstanceSpec zk : ENSEMBLE.servers()) {
      CuratorFramework agent = started(CuratorFrameworkFactory.builder().connectString(zk.getConnectString())
          .authorization(List.of(TestZkAuth.AGENT.authInfo()))
          .aclProvider(new ZkAcls(ZkLayout.defaultLayout(), TestZkAuth.agentAccess())));
      await().atMost(Duration.ofSeconds(10)).ignoreException(KeeperException.NoNodeException.class)
          .until(() -> agent.getData().forPath(assignment).length > 0);

      assertThatThrownBy(() -> agent.setData().forPath(SPEC, "{\"replicas\":9}".getBytes()))
          .as("writing the spec on %s", zk.getConnectString())
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> agent.getData().forPath(SPEC)).isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> agent.create().forPath("/shepherd/replicasets/forged", "{}".getBytes()))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> agent.delete().forPath(assignment)).isInstanceOf(KeeperException.NoAuthException.class);
    }
  }

  @Test
  void everyZnodeTheServersMadeOnTheEnsembleHasTheAclOfItsPathAndNoneAdmitsTheWorld() throws Exception {
    CuratorFramework server = started(TestZkAuth.serverBuilder(ENSEMBLE.connectString()));
    ZkAcls table = new ZkAcls(ZkLayout.defaultLayout(), TestZkAuth.serverAccess());
    List<String> all = walk(server, "/shepherd");

    assertThat(all).contains(SPEC, assignment, "/shepherd/nodes/node-a", "/shepherd/epoch", "/shepherd/leader");
    for (String path : all) {
      List<ACL> acl = server.getACL().forPath(path);
      assertThat(acl).as(path).containsExactlyInAnyOrderElementsOf(table.getAclForPath(path))
          .noneMatch(a -> a.getId().getScheme().equals("world"));
    }
  }

  private static List<String> walk(CuratorFramework client, String root) throws Exception {
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
}
