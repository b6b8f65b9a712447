package io.shepherd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.worker.AgentConfigFile;
import io.shepherd.worker.ConfigException;
import io.shepherd.worker.agent.LogServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A standalone agent's {@code agent.logs.tls}, with the files {@code tls-init} writes. */
class AgentLogsTlsConfigTest {
  @TempDir
  Path dir;

  private TlsInit.Written tls;

  @BeforeEach
  void certificates() throws Exception {
    tls = TlsInit.write(dir.resolve("tls"), List.of("127.0.0.1"), List.of("127.0.0.1"), Duration.ofDays(1));
  }

  private AgentConfigFile.Loaded load(String tlsSection) throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yml"), String.join("\n",
        "zookeeper: {connect: 'z:2181'}",
        "agent:",
        "  dataDir: " + dir.resolve("data"),
        "  logs:",
        "    tls: " + tlsSection, ""));
    return AgentConfigFile.load(file, () -> "box", Map.of("TLS_PASSWORD", tls.password()));
  }

  @Test
  void theLogServerRunsHttpsWithTheAgentsKeystoreAndRequiresAClientCertificateByDefault() throws Exception {
    LogServerConfig logs = load("{keyStore: " + dir.resolve("tls/agent.p12") + ", keyStorePasswordEnv: TLS_PASSWORD, "
        + "caFile: " + dir.resolve("tls/ca.pem") + "}").agent().logServer().orElseThrow();

    assertThat(logs.tls()).hasValueSatisfying(t -> assertThat(t.requireClientCertificate()).isTrue());
  }

  @Test
  void aWrongPasswordOrAMissingFileIsNamed() {
    assertThatThrownBy(() -> load("{keyStore: " + dir.resolve("tls/agent.p12") + ", keyStorePassword: wrong, caFile: "
        + dir.resolve("tls/ca.pem") + "}"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("agent.logs.tls: " + dir.resolve("tls/agent.p12"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(tls.password()));
    assertThatThrownBy(() -> load("{keyStore: " + dir.resolve("tls/agent.p12") + ", keyStorePasswordEnv: TLS_PASSWORD, "
        + "caFile: " + dir.resolve("none.pem") + "}"))
        .hasMessage("agent.logs.tls: " + dir.resolve("none.pem") + ": no such file");
    assertThatThrownBy(() -> load("{caFile: x, keyStorePassword: p}"))
        .hasMessage("agent.logs.tls.keyStore: required");
    assertThatThrownBy(() -> load("{keyStore: k, caFile: x}"))
        .hasMessageStartingWith("agent.logs.tls.keyStorePassword: give exactly one of");
  }
}
