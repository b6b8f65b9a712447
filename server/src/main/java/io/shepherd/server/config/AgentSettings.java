package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.PortRange;
import io.dropwizard.validation.ValidationMethod;
import io.shepherd.worker.agent.AgentConfig;
import io.shepherd.worker.agent.LauncherMode;
import io.shepherd.worker.agent.LogServerConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The agent that runs inside the server process on the one-machine default (off in cluster.yml). */
public class AgentSettings {
  @JsonProperty
  public boolean enabled = false;

  @NotEmpty
  @JsonProperty
  public String nodeId = "local";

  @NotEmpty
  @JsonProperty
  public String host = "127.0.0.1";

  @Min(0)
  @JsonProperty
  public int capacity = 1_000;

  @NotNull
  @JsonProperty
  public Map<String, String> labels = Map.of();

  /** Copies' logs, leftover records and default working directories. */
  @NotEmpty
  @JsonProperty
  public String dataDir = "./data/agent";

  @NotNull
  @JsonProperty
  public LauncherMode launcher = LauncherMode.PROCESS;

  @Min(1024)
  @JsonProperty
  public long logMaxBytes = AgentConfig.DEFAULT_LOG_MAX_BYTES;

  @NotEmpty
  @JsonProperty
  public String logsBindHost = LogServerConfig.DEFAULT_BIND_HOST;

  /** The agent's log server port; 0 picks a free one. */
  @PortRange(min = 0)
  @JsonProperty
  public int logsPort = 0;

  /**
   * The ports the leader gives this node's copies, {@code from..to} inclusive, e.g. {@code ports: {from: 20000, to:
   * 29999}}; within 1024..65535 unless {@code allowPrivileged}.
   */
  @NotNull
  @Valid
  @JsonProperty
  public Ports ports = new Ports();

  /** {@code agent.ports}. */
  public static class Ports {
    @PortRange(min = 1)
    @JsonProperty
    public int from = io.shepherd.worker.record.PortRange.DEFAULT.from();

    @PortRange(min = 1)
    @JsonProperty
    public int to = io.shepherd.worker.record.PortRange.DEFAULT.to();

    @JsonProperty
    public boolean allowPrivileged = false;

    @ValidationMethod(message = "agent.ports: from must not be above to, and both must be within 1024..65535 unless"
        + " allowPrivileged is true")
    @JsonIgnore
    public boolean isValidRange() {
      int lowest = allowPrivileged ? 1 : io.shepherd.worker.record.PortRange.LOWEST_UNPRIVILEGED;
      return from <= to && from >= lowest;
    }

    io.shepherd.worker.record.PortRange toRange() {
      return new io.shepherd.worker.record.PortRange(from, to);
    }
  }

  /**
   * The agent's own ZooKeeper identity (its own session, as a separate agent's): required when the server has
   * ZooKeeper ACLs on; its digest id becomes an agent id of the ACLs.
   */
  @Valid
  @JsonProperty
  public ZooKeeperAuthSettings zookeeperAuth;

  /** The agent's HTTP port (logs) over HTTPS, requiring the servers' certificates; none: plain HTTP. */
  @Valid
  @JsonProperty
  public ClusterTlsSettings logsTls;

  public AgentConfig toAgentConfig() {
    return AgentConfig.builder(nodeId, Path.of(dataDir).toAbsolutePath())
        .host(host)
        .capacity(capacity)
        .labels(labels)
        .launcher(launcher)
        .logMaxBytes(logMaxBytes)
        .logServer(new LogServerConfig(logsBindHost, logsPort, Optional.ofNullable(logsTls)
            .map(t -> new LogServerConfig.Tls(t.context(), t.requireClientCertificate))))
        .ports(ports.toRange())
        .build();
  }
}
