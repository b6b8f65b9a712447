package io.shepherd.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.zk.ZkAccess;
import io.shepherd.worker.zk.ZkAcls;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ZooKeeper ACLs on a running cluster (a server with its agent, the test identities of {@link TestZkAuth}): a client
 * that knows no credential can neither read a spec nor write an assignment, an agent's identity cannot write a spec,
 * and {@code zk-acl} (the packaged jar) closes an existing open tree, idempotently.
 */
class ZkAclIT {
  private static final Path AGENT_DIR = LocalHttp.tempDir("shepherd-zkacl-agent");
  private static final String SPEC = ZkClients.SPEC;

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR);

  private final ZkClients clients = new ZkClients();
  private CuratorFramework anonymous;
  private CuratorFramework agent;
  private CuratorFramework server;
  private String assignment;

  @BeforeEach
  void aRunningCopy() throws Exception {
    anonymous = clients.anonymous(ZK.connectString());
    agent = clients.agent(ZK.connectString());
    server = clients.server(ZK.connectString());
    assignment = ZkClients.runningSecretCopy(new Api(SERVER.baseUrl()), "3517");
  }

  @AfterEach
  void close() {
    clients.close();
  }

  @Test
  void aClientWithoutACredentialCanNeitherReadASpecNorWriteAnAssignment() throws Exception {
    assertThat(new String(server.getData().forPath(SPEC), StandardCharsets.UTF_8)).contains("hunter2");

    assertThatThrownBy(() -> anonymous.getData().forPath(SPEC)).isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.getChildren().forPath("/shepherd/replicasets"))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.create().forPath("/shepherd/assignments/node-a/forged", "{}".getBytes()))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.setData().forPath(assignment, "{}".getBytes()))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.getData().forPath(assignment))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.create().forPath("/shepherd/replicasets/forged", "{}".getBytes()))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  @Test
  void anAgentsIdentityCannotWriteOrReadASpecNorCreateOrDeleteAnAssignment() throws Exception {
    assertThat(agent.getData().forPath(assignment)).as("an agent reads its assignments").isNotEmpty();
    assertThat(agent.getData().forPath("/shepherd/epoch")).as("and the epoch").isNotEmpty();

    assertThatThrownBy(() -> agent.setData().forPath(SPEC, "{\"replicas\":9}".getBytes()))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> agent.getData().forPath(SPEC)).isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> agent.create().forPath("/shepherd/replicasets/forged", "{}".getBytes()))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> agent.create().forPath("/shepherd/assignments/node-a/forged", "{}".getBytes()))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> agent.delete().forPath(assignment)).isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> agent.setData().forPath("/shepherd/epoch", "99".getBytes()))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  @Test
  void everyZnodeOfARunningClusterHasTheAclOfItsPathAndNoneAdmitsTheWorld() throws Exception {
    ZkAcls table = new ZkAcls(ZkLayout.defaultLayout(), TestZkAuth.serverAccess());
    List<String> all = ZkClients.walk(server, "/shepherd");

    assertThat(all).contains(SPEC, assignment, "/shepherd/nodes/node-a", "/shepherd/epoch");
    for (String path : all) {
      List<ACL> acl = server.getACL().forPath(path);
      assertThat(acl).as(path).containsExactlyInAnyOrderElementsOf(table.getAclForPath(path))
          .noneMatch(a -> a.getId().getScheme().equals("world"));
    }
  }

  @Test
  void zkAclGivesAnOpenTreeTheAclsOfItsPathsAndChangesNothingTheSecondTime() throws Exception {
    String root = "/legacy";
    for (String path : List.of(root + "/replicasets/web/instances/web-1", root + "/replicasets/web/status",
        root + "/assignments/node-a/web-1", root + "/nodes/node-a", root + "/epoch")) {
      anonymous.create().creatingParentsIfNeeded().forPath(path, "{}".getBytes());
    }
    assertThat(anonymous.getACL().forPath(root + "/replicasets/web")).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
    Path dir = Files.createTempDirectory("shepherd-zk-acl");
    Path password = Files.writeString(dir.resolve("server.password"), "test-server-secret\n");
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    Path conf = Files.writeString(dir.resolve("legacy.yml"), String.join("\n",
        "logging: {level: WARN}",
        "zookeeper:",
        "  connect: " + ZK.connectString(),
        "  root: " + root,
        "  auth: {user: test-server, passwordFile: " + password + "}",
        "  acl: {agents: ['digest:" + TestZkAuth.AGENT.id().getId() + "']}",
        "embeddedZooKeeper: {enabled: false}", ""));

    Jar first = Jar.run(dir, "zk-acl", conf.toString());
    Jar second = Jar.run(dir, "zk-acl", conf.toString());

    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(first.output()).contains("/legacy: 12 znodes, 12 ACLs changed");
    assertThat(second.exit()).as(second.output()).isZero();
    assertThat(second.output()).contains("/legacy: 12 znodes, 0 ACLs changed");
    assertThat(first.output() + second.output()).doesNotContain("test-server-secret");
    ZkAcls table = new ZkAcls(new ZkLayout(root), ZkAccess.server(Optional.of(TestZkAuth.SERVER), List.of(),
        List.of(TestZkAuth.AGENT.id())));
    for (String path : ZkClients.walk(server, root)) {
      assertThat(server.getACL().forPath(path)).as(path).containsExactlyInAnyOrderElementsOf(table.getAclForPath(path));
    }
    assertThatThrownBy(() -> anonymous.getData().forPath(root + "/replicasets/web"))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  @Test
  void zkAclWithoutAnIdentityIsRefusedNamingTheField() throws Exception {
    Path dir = Files.createTempDirectory("shepherd-zk-acl");
    Path conf = Files.writeString(dir.resolve("open.yml"), String.join("\n",
        "logging: {level: WARN}", "zookeeper: {connect: '" + ZK.connectString() + "'}",
        "embeddedZooKeeper: {enabled: false}", ""));

    Jar run = Jar.run(dir, "zk-acl", conf.toString());

    assertThat(run.exit()).isNotZero();
    assertThat(run.output()).contains("zk-acl: zookeeper.auth: not set").doesNotContain("Exception");
  }

  @Test
  void zkDigestPrintsTheAclIdOfAUserAndThePasswordOnItsInput() throws Exception {
    Jar run = Jar.withInput(Files.createTempDirectory("shepherd-zk-digest"), "test-agent-secret\n", "zk-digest",
        "test-agent");

    assertThat(run.exit()).isZero();
    assertThat(run.output().strip()).isEqualTo("digest:test-agent:n/0ql1FggbQC61GasamiPOtKhS8=");
  }

  /** One run of the packaged server jar with a command, to its end. */
  record Jar(int exit, String output) {
    static Jar run(Path dir, String... args) throws Exception {
      return withInput(dir, "", args);
    }

    static Jar withInput(Path dir, String input, String... args) throws Exception {
      Path jar = Path.of("target", "shepherd-server.jar").toAbsolutePath();
      assertThat(jar).exists();
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
      command.addAll(List.of(args));
      Path out = Files.createTempFile(dir, "jar", ".out");
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the jar did not finish in 60 s: " + Files.readString(out));
      }
      return new Jar(p.exitValue(), Files.readString(out));
    }
  }
}
