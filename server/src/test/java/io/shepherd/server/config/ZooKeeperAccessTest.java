package io.shepherd.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.shepherd.server.ShepherdConfiguration;
import io.shepherd.worker.zk.ZkAccess;
import io.shepherd.worker.zk.ZkCredential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zookeeper.auth}, {@code zookeeper.acl} and {@code agent.zookeeperAuth}: validated at start, resolved once. */
class ZooKeeperAccessTest {
  private final YamlConfigurationFactory<ShepherdConfiguration> factory = new YamlConfigurationFactory<>(
      ShepherdConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

  @TempDir
  Path dir;

  private ShepherdConfiguration build(String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve("conf.yml"), yaml);
    return factory.build(file.toFile());
  }

  @Test
  void withoutAuthOrAclBothClientsAreOpen() throws Exception {
    ShepherdConfiguration.ZooKeeperAccess zk = build("agent: {enabled: true}\n").zooKeeperAccess(Map.of());

    assertThat(zk.server().access()).isEqualTo(ZkAccess.open());
    assertThat(zk.agent().access()).isEqualTo(ZkAccess.open());
  }

  @Test
  void theServerIsAServerIdAndItsEmbeddedAgentAnAgentIdEachWithItsOwnCredential() throws Exception {
    ShepherdConfiguration conf = build(String.join("\n",
        "zookeeper:",
        "  auth: {user: srv, passwordEnv: SRV_PW}",
        "  acl: {servers: ['x509:CN=other-server'], agents: ['sasl:remote-agent']}",
        "agent:",
        "  enabled: true",
        "  zookeeperAuth: {user: agt, password: agent-pw}", ""));

    ShepherdConfiguration.ZooKeeperAccess zk = conf.zooKeeperAccess(Map.of("SRV_PW", "server-pw"));

    ZkCredential srv = new ZkCredential("srv", "server-pw");
    ZkCredential agt = new ZkCredential("agt", "agent-pw");
    List<Id> servers = List.of(srv.id(), new Id("x509", "CN=other-server"));
    List<Id> agents = List.of(agt.id(), new Id("sasl", "remote-agent"));
    assertThat(zk.server().access()).isEqualTo(new ZkAccess(Optional.of(srv), servers, agents));
    assertThat(zk.agent().access()).isEqualTo(new ZkAccess(Optional.of(agt), servers, agents));
  }

  @Test
  void aServerWithAclsAndAnEmbeddedAgentWithoutAnIdentityIsRefusedAtStart() {
    assertThatThrownBy(() -> build("zookeeper: {auth: {user: srv, password: p}}\nagent: {enabled: true}\n"))
        .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("agent.zookeeperAuth: required");
  }

  @Test
  void aPasswordFromTwoPlacesOrAnUnknownSchemeIsRefusedAtStart() {
    assertThatThrownBy(() -> build("zookeeper: {auth: {user: srv, password: p, passwordEnv: P}}\n"))
        .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("zookeeper.auth")
        .hasMessageContaining("exactly one of password, passwordFile, passwordEnv");
    assertThatThrownBy(() -> build("zookeeper: {auth: {scheme: sasl, user: srv, password: p}}\n"))
        .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("zookeeper.auth.scheme");
    assertThatThrownBy(() -> build("zookeeper: {acl: {agents: ['digest:short']}}\n"))
        .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("zookeeper.acl");
  }

  @Test
  void aMissingPasswordFileIsRefusedAtStartNamingItsField() {
    assertThatThrownBy(() -> build("zookeeper: {auth: {user: srv, passwordFile: " + dir.resolve("none") + "}}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("zookeeper.auth.passwordFile: no such file");
    assertThatThrownBy(() -> build("zookeeper: {auth: {user: srv, password: p}}\nagent: {enabled: true, "
        + "zookeeperAuth: {user: a, passwordFile: " + dir.resolve("none") + "}}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("agent.zookeeperAuth.passwordFile: no such file");
  }

  @Test
  void anUnsetPasswordVariableIsNamedWithItsFieldWhenTheServerStarts() throws Exception {
    ShepherdConfiguration conf = build("zookeeper: {auth: {user: srv, passwordEnv: UNSET_PW}}\n");

    assertThatThrownBy(() -> conf.zooKeeperAccess(Map.of()))
        .hasMessage("zookeeper.auth.passwordEnv: the environment variable UNSET_PW is not set");
  }

  @Test
  void theOneMachineDefaultGeneratesBothIdentities() throws Exception {
    String yaml = Files.readString(Path.of("../conf/shepherd.yml")).replace("./data/", dir + "/data/");
    ShepherdConfiguration.ZooKeeperAccess zk = build(yaml).zooKeeperAccess(Map.of());

    assertThat(zk.server().access().credential()).hasValueSatisfying(c -> assertThat(c.user()).isEqualTo(
        "shepherd-server"));
    assertThat(zk.agent().access().credential()).hasValueSatisfying(c -> assertThat(c.user()).isEqualTo(
        "shepherd-agent"));
    assertThat(zk.server().access().agents()).containsExactly(zk.agent().access().credential().get().id());
    assertThat(dir.resolve("data/zookeeper-server.password")).exists();
    assertThat(dir.resolve("data/zookeeper-agent.password")).exists();
  }
}
