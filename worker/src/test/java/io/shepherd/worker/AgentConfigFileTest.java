package io.shepherd.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.shepherd.worker.agent.LauncherMode;
import io.shepherd.worker.agent.LogServerConfig;
import io.shepherd.worker.gateway.GatewayConfig;
import io.shepherd.worker.record.PortRange;
import io.shepherd.worker.zk.ZkAccess;
import io.shepherd.worker.zk.ZkCredential;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentConfigFileTest {
  private static AgentConfigFile.Loaded parse(String yaml) throws ConfigException {
    return AgentConfigFile.parse("agent.yml", yaml, () -> "box");
  }

  @Test
  void theDocumentedExampleIsValid() throws Exception {
    AgentConfigFile.Loaded loaded = AgentConfigFile.load(Path.of("../conf/agent.yml"), () -> "box");

    assertThat(loaded.zookeeper().connect()).isEqualTo("127.0.0.1:2181");
    assertThat(loaded.zookeeper().sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
    assertThat(loaded.agent().nodeId()).isEqualTo("box");
    assertThat(loaded.agent().labels()).isEqualTo(Map.of("zone", "a"));
    assertThat(loaded.agent().logServer()).contains(new LogServerConfig("127.0.0.1", 7072));
    assertThat(loaded.agent().ports()).isEqualTo(new PortRange(20_000, 29_999));
    assertThat(loaded.agent().gateway()).isEqualTo(GatewayConfig.DEFAULT);
  }

  @Test
  void theGatewayDefaultsToLoopbackAndEachOfItsFieldsMayBeSet() throws Exception {
    String zk = "zookeeper: {connect: z}\n";

    assertThat(parse(zk + "agent: {dataDir: d}").agent().gateway()).isEqualTo(GatewayConfig.DEFAULT);
    assertThat(parse(zk + "agent: {dataDir: d, gateway: {enabled: false, bindHost: 0.0.0.0, allowPrivileged: true,"
        + " connectTimeoutMs: 250, maxTries: 5, drainDelayMs: 0}}").agent().gateway())
        .isEqualTo(new GatewayConfig(false, "0.0.0.0", true, Duration.ofMillis(250), 5, Duration.ZERO));
  }

  @Test
  void onlyTheConnectStringAndTheDataDirectoryAreRequired() throws Exception {
    AgentConfigFile.Loaded loaded = parse("zookeeper: {connect: 'zk:2181'}\nagent: {dataDir: /var/lib/shepherd}\n");

    assertThat(loaded.zookeeper().root()).isEqualTo("/shepherd");
    assertThat(loaded.agent().nodeId()).isEqualTo("box");
    assertThat(loaded.agent().host()).isEqualTo("box");
    assertThat(loaded.agent().launcher()).isEqualTo(LauncherMode.PROCESS);
    assertThat(loaded.agent().dataDir()).isEqualTo(Path.of("/var/lib/shepherd"));
  }

  @Test
  void thePortRangeDefaultsTo20000To29999AndMayBeChosen() throws Exception {
    String zk = "zookeeper: {connect: z}\n";

    assertThat(parse(zk + "agent: {dataDir: d}").agent().ports()).isEqualTo(new PortRange(20_000, 29_999));
    assertThat(parse(zk + "agent: {dataDir: d, ports: {from: 40000, to: 40009}}").agent().ports())
        .isEqualTo(new PortRange(40_000, 40_009));
    assertThat(parse(zk + "agent: {dataDir: d, ports: {from: 8000, to: 8000}}").agent().ports().size()).isOne();
    assertThat(parse(zk + "agent: {dataDir: d, ports: {from: 80, to: 90, allowPrivileged: true}}").agent().ports())
        .isEqualTo(new PortRange(80, 90));
  }

  @Test
  void theLogServerCanBeTurnedOffAndTheLauncherChosen() throws Exception {
    AgentConfigFile.Loaded loaded = parse("""
        zookeeper: {connect: 'zk:2181'}
        agent: {dataDir: d, launcher: register-only, logs: {enabled: false}}
        """);

    assertThat(loaded.agent().logServer()).isEmpty();
    assertThat(loaded.agent().launcher()).isEqualTo(LauncherMode.REGISTER_ONLY);
  }

  static Stream<Arguments> badFiles() {
    String zk = "zookeeper: {connect: z}\n";
    return Stream.of(
        arguments("agent: {dataDir: d}", "zookeeper.connect: required"),
        arguments(zk, "agent.dataDir: required"),
        arguments(zk + "agent: {dataDir: d, capacity: lots}", "agent.capacity: must be a whole number"),
        arguments(zk + "agent: {dataDir: d, capacity: -1}", "agent.capacity: must be a whole number"),
        arguments("zookeeper: {connect: z, sessionTimeoutMs: 0}\nagent: {dataDir: d}",
            "zookeeper.sessionTimeoutMs: must be a whole number"),
        arguments("zookeeper: {connect: z, root: shepherd}\nagent: {dataDir: d}", "zookeeper.root: "),
        arguments(zk + "agent: {dataDir: d, nodeId: 'a/b'}", "agent.nodeId: must be a name"),
        arguments(zk + "agent: {dataDir: d, launcher: docker}", "agent.launcher: must be PROCESS or REGISTER_ONLY"),
        arguments(zk + "agent: {dataDir: d, capasity: 3}", "agent.capasity: unknown field"),
        arguments(zk + "agent: {dataDir: d, logs: {port: 70000}}", "agent.logs.port: must be a whole number"),
        arguments(zk + "agent: {dataDir: d, logs: {enabled: maybe}}", "agent.logs.enabled: must be true or false"),
        arguments(zk + "agent: {dataDir: d, labels: [a, b]}", "agent.labels: must be a mapping"),
        arguments(zk + "agent: {dataDir: d, ports: {from: 30000, to: 20000}}",
            "agent.ports.to: must not be below agent.ports.from (30000), got 20000"),
        arguments(zk + "agent: {dataDir: d, ports: {from: 80, to: 90}}", "agent.ports.from: must be a whole number within 1024..65535"),
        arguments(zk + "agent: {dataDir: d, ports: {from: 20000, to: 70000}}", "agent.ports.to: must be a whole number within 1024..65535"),
        arguments(zk + "agent: {dataDir: d, ports: {start: 20000}}", "agent.ports.start: unknown field"),
        arguments(zk + "agent: {dataDir: d, gateway: {drainDelayMs: -1}}", "agent.gateway.drainDelayMs: must be a whole"),
        arguments(zk + "agent: {dataDir: d, gateway: {maxTries: 0}}", "agent.gateway.maxTries: must be a whole"),
        arguments(zk + "agent: {dataDir: d, gateway: {port: 80}}", "agent.gateway.port: unknown field"),
        arguments("zookeeper: [z]\nagent: {dataDir: d}", "zookeeper: must be a mapping"),
        arguments("zookeeper: {connect: z, auth: {user: a}}\nagent: {dataDir: d}",
            "zookeeper.auth.password: give exactly one of password, passwordFile, passwordEnv"),
        arguments("zookeeper: {connect: z, auth: {user: a, password: p, passwordEnv: P}}\nagent: {dataDir: d}",
            "zookeeper.auth.password: give exactly one of password, passwordFile, passwordEnv"),
        arguments("zookeeper: {connect: z, auth: {user: a, passwordEnv: NOT_SET_ANYWHERE}}\nagent: {dataDir: d}",
            "zookeeper.auth.passwordEnv: the environment variable NOT_SET_ANYWHERE is not set"),
        arguments("zookeeper: {connect: z, auth: {user: a, passwordFile: /no/such/file}}\nagent: {dataDir: d}",
            "zookeeper.auth.passwordFile: /no/such/file: no such file"),
        arguments("zookeeper: {connect: z, auth: {scheme: sasl, user: a}}\nagent: {dataDir: d}",
            "zookeeper.auth.scheme: only digest is configured here"),
        arguments("zookeeper: {connect: z, auth: {user: a, password: p}}\nagent: {dataDir: d}",
            "zookeeper.acl.servers: required with zookeeper.auth or zookeeper.acl"),
        arguments("zookeeper: {connect: z, acl: {servers: ['digest:nohash']}}\nagent: {dataDir: d}",
            "zookeeper.acl.servers[0]: a digest id is digest:user:base64(sha1(user:password))"),
        arguments("zookeeper: {connect: z, acl: {servers: ['world:anyone']}}\nagent: {dataDir: d}",
            "zookeeper.acl.servers[0]: unknown ACL scheme 'world'"),
        arguments("zookeeper: {connect: z, acl: {servers: 'x509:CN=s'}}\nagent: {dataDir: d}",
            "zookeeper.acl.servers: must be a list of ids"),
        arguments("zookeeper: {connect: z, auth: {user: a, pasword: p}}\nagent: {dataDir: d}",
            "zookeeper.auth.pasword: unknown field"),
        arguments("zookeeper: {connect: z\nagent: {dataDir: d}", "agent.yml: not valid YAML at line"),
        arguments("", "agent.yml: empty"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badFiles")
  void aBadFieldIsNamedInOneLine(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void withoutAuthOrAclTheAgentsZooKeeperAccessIsOpen() throws Exception {
    assertThat(parse("zookeeper: {connect: z}\nagent: {dataDir: d}\n").zookeeper().access())
        .isEqualTo(ZkAccess.open());
  }

  @Test
  void anAgentsOwnDigestIdIsAnAgentIdAndItsPasswordMayComeFromTheEnvironment() throws Exception {
    String serverId = "digest:" + ZkCredential.digest("srv", "s3cret");
    AgentConfigFile.Loaded loaded = AgentConfigFile.parse("agent.yml", String.join("\n",
        "zookeeper:",
        "  connect: z",
        "  auth: {user: agent-1, passwordEnv: ZK_PASSWORD}",
        "  acl: {servers: ['" + serverId + "', 'x509:CN=server-2'], agents: ['sasl:agent-2']}",
        "agent: {dataDir: d}", ""), () -> "box", Map.of("ZK_PASSWORD", "a-pass\n"));

    ZkAccess access = loaded.zookeeper().access();
    assertThat(access.credential()).contains(new ZkCredential("agent-1", "a-pass"));
    assertThat(access.servers()).containsExactly(ZkAccess.parseId(serverId), new Id("x509", "CN=server-2"));
    assertThat(access.agents()).containsExactly(new Id("digest", ZkCredential.digest("agent-1", "a-pass")),
        new Id("sasl", "agent-2"));
    assertThat(access.toString()).doesNotContain("a-pass");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> AgentConfigFile.load(Path.of("no/such.yml"), () -> "box"))
        .hasMessage("no/such.yml: no such file");
  }
}
