package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.PortRange;
import io.dropwizard.validation.ValidationMethod;
import io.shepherd.worker.agent.AgentConfig;
import io.shepherd.worker.agent.LauncherMode;
import io.shepherd.worker.agent.LogServerConfig;
import io.shepherd.worker.gateway.GatewayConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
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

  /** {@code agent.gateway}: where exposed replica sets are served, and how stopping copies are drained. */
  @NotNull
  @Valid
  @JsonProperty
  public Gateway gateway = new Gateway();

  /** {@code agent.gateway}. */
  public static class Gateway {
    @JsonProperty
    public boolean enabled = GatewayConfig.DEFAULT.enabled();

    @NotEmpty
    @JsonProperty
    public String bindHost = GatewayConfig.DEFAULT_BIND_HOST;

    /** Whether exposed ports below 1024 may be bound. */
    @JsonProperty
    public boolean allowPrivileged = false;

    @Min(1)
    @JsonProperty
    public int connectTimeoutMs = (int) GatewayConfig.DEFAULT_CONNECT_TIMEOUT.toMillis();

    @Min(1)
    @Max(100)
    @JsonProperty
    public int maxTries = GatewayConfig.DEFAULT_MAX_TRIES;

    /** How long a ready copy being stopped keeps running after its unready flag is written, before SIGTERM. */
    @Min(0)
    @Max(600_000)
    @JsonProperty
    public long drainDelayMs = GatewayConfig.DEFAULT_DRAIN_DELAY.toMillis();

    GatewayConfig toConfig() {
      return new GatewayConfig(enabled, bindHost, allowPrivileged, Duration.ofMillis(connectTimeoutMs), maxTries,
          Duration.ofMillis(drainDelayMs));
    }
  }

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
        .gateway(gateway.toConfig())
        .build();
  }
}
