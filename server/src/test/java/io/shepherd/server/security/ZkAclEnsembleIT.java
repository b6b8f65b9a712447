package io.shepherd.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
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
  private static final String SPEC = ZkClients.SPEC;

  @RegisterExtension
  static final ZooKeeperEnsembleExtension ENSEMBLE = new ZooKeeperEnsembleExtension();

  @RegisterExtension
  static final ServerExtension FIRST =
      ServerExtension.withLocalAgent(ENSEMBLE::connectString, "node-a", AGENT_DIR);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ENSEMBLE::connectString);

  private final ZkClients clients = new ZkClients();
  private String assignment;

  @BeforeEach
  void aRunningCopy() throws Exception {
    assignment = ZkClients.runningSecretCopy(new Api(FIRST.baseUrl()), "3519");
  }

  @AfterEach
  void close() {
    clients.close();
  }

  @Test
  void everyServerOfTheEnsembleRefusesAClientWithoutACredentialASpecAndAnAssignment() throws Exception {
    CuratorFramework server = clients.server(ENSEMBLE.connectString());
    assertThat(new String(server.getData().forPath(SPEC), StandardCharsets.UTF_8)).contains("hunter2");
    assertThat(server.getData().forPath(assignment)).isNotEmpty();

    for (InstanceSpec zk : ENSEMBLE.servers()) {
      CuratorFramework anonymous = clients.anonymous(zk.getConnectString()); // one server of the ensemble only
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
      CuratorFramework agent = clients.agent(zk.getConnectString());
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
    CuratorFramework server = clients.server(ENSEMBLE.connectString());
    ZkAcls table = new ZkAcls(ZkLayout.defaultLayout(), TestZkAuth.serverAccess());
    List<String> all = ZkClients.walk(server, "/shepherd");

    assertThat(all).contains(SPEC, assignment, "/shepherd/nodes/node-a", "/shepherd/epoch", "/shepherd/leader");
    for (String path : all) {
      List<ACL> acl = server.getACL().forPath(path);
      assertThat(acl).as(path).containsExactlyInAnyOrderElementsOf(table.getAclForPath(path))
          .noneMatch(a -> a.getId().getScheme().equals("world"));
    }
  }
}
