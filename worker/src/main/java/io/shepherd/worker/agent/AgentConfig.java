package io.shepherd.worker.agent;

import io.shepherd.worker.gateway.GatewayConfig;
import io.shepherd.worker.record.PortRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link NodeAgent} needs besides its ZooKeeper client. Build one with {@link #builder}.
 *
 * @param nodeId            this node's id: the name of {@code /nodes/{nodeId}} and {@code /assignments/{nodeId}}
 * @param host              the host name or address the node's copies are reached at
 * @param capacity          how many copies this node runs at most; more are refused with "node full"
 * @param labels            matched by the scheduler against node selectors
 * @param dataDir           the agent's own directory: {@code logs/}, {@code run/} (leftover records) and
 *                          {@code instances/} (default working directories) go under it
 * @param launcher          real processes, or register-only copies for load tests
 * @param logMaxBytes       a copy's live log file is rotated once it is larger than this
 * @param logServer         where the log server listens; empty to run none (then the node has no {@code logsUrl})
 * @param logRotateInterval how often log sizes are checked
 * @param resyncInterval    how often the agent re-reads everything and repairs what events missed (level-triggered)
 * @param ports             the range the leader picks this node's copies' ports from, published in its node record
 * @param gateway           the gateway to exposed replica sets, and the drain delay of stopping copies
 */
public record AgentConfig(
    String nodeId,
    String host,
    int capacity,
    Map<String, String> labels,
    Path dataDir,
    LauncherMode launcher,
    long logMaxBytes,
    Optional<LogServerConfig> logServer,
    Duration logRotateInterval,
    Duration resyncInterval,
    PortRange ports,
    GatewayConfig gateway) {

  public static final int DEFAULT_CAPACITY = 16;
  public static final long DEFAULT_LOG_MAX_BYTES = 10L * 1024 * 1024;
  public static final Duration DEFAULT_LOG_ROTATE_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(10);

  public AgentConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(launcher, "launcher");
    Objects.requireNonNull(logRotateInterval, "logRotateInterval");
    Objects.requireNonNull(resyncInterval, "resyncInterval");
    Objects.requireNonNull(ports, "ports");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    logServer = logServer == null ? Optional.empty() : logServer;
    gateway = gateway == null ? GatewayConfig.DEFAULT : gateway;
    if (nodeId.isBlank() || nodeId.contains("/")) {
      throw new IllegalArgumentException("nodeId must be a non-empty name without '/': " + nodeId);
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative: " + capacity);
    }
    if (logMaxBytes <= 0) {
      throw new IllegalArgumentException("logMaxBytes must be positive: " + logMaxBytes);
    }
    if (logRotateInterval.isNegative() || logRotateInterval.isZero()
        || resyncInterval.isNegative() || resyncInterval.isZero()) {
      throw new IllegalArgumentException("intervals must be positive");
    }
  }

  /** Where the agent makes a working directory for each copy whose spec names none: {@code {dataDir}/instances}. */
  public Path workingDirsRoot() {
    return dataDir.resolve("instances");
  }

  /**
   * A builder with the defaults: host = nodeId, capacity {@value #DEFAULT_CAPACITY}, no labels, PROCESS launcher,
   * 10 MiB logs checked every second, the log server on loopback port {@value LogServerConfig#DEFAULT_PORT},
   * resync every 10 s, ports {@code PortRange.DEFAULT} (20000..29999), the gateway on loopback
   * ({@link GatewayConfig#DEFAULT}).
   */
  public static Builder builder(String nodeId, Path dataDir) {
    return new Builder(nodeId, dataDir);
  }

  /** Builds an {@link AgentConfig}; every setter returns this builder. Not thread-safe. */
  public static final class Builder {
    private final String nodeId;
    private final Path dataDir;
    private String host;
    private int capacity = DEFAULT_CAPACITY;
    private Map<String, String> labels = Map.of();
    private LauncherMode launcher = LauncherMode.PROCESS;
    private long logMaxBytes = DEFAULT_LOG_MAX_BYTES;
    private Optional<LogServerConfig> logServer =
        Optional.of(new LogServerConfig(LogServerConfig.DEFAULT_BIND_HOST, LogServerConfig.DEFAULT_PORT));
    private Duration logRotateInterval = DEFAULT_LOG_ROTATE_INTERVAL;
    private Duration resyncInterval = DEFAULT_RESYNC_INTERVAL;
    private PortRange ports = PortRange.DEFAULT;
    private GatewayConfig gateway = GatewayConfig.DEFAULT;

    private Builder(String nodeId, Path dataDir) {
      this.nodeId = nodeId;
      this.dataDir = dataDir;
      this.host = nodeId;
    }

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder capacity(int value) {
      this.capacity = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      this.labels = value;
      return this;
    }

    public Builder launcher(LauncherMode value) {
      this.launcher = value;
      return this;
    }

    public Builder logMaxBytes(long value) {
      this.logMaxBytes = value;
      return this;
    }

    /** Where the log server listens. */
    public Builder logServer(LogServerConfig value) {
      this.logServer = Optional.of(value);
      return this;
    }

    /** Runs no log server. */
    public Builder noLogServer() {
      this.logServer = Optional.empty();
      return this;
    }

    public Builder logRotateInterval(Duration value) {
      this.logRotateInterval = value;
      return this;
    }

    public Builder resyncInterval(Duration value) {
      this.resyncInterval = value;
      return this;
    }

    /** The range the leader picks this node's copies' ports from. */
    public Builder ports(PortRange value) {
      this.ports = value;
      return this;
    }

    /** The gateway to exposed replica sets ({@link GatewayConfig#DEFAULT} unless set). */
    public Builder gateway(GatewayConfig value) {
      this.gateway = value;
      return this;
    }

    public AgentConfig build() {
      return new AgentConfig(nodeId, host, capacity, labels, dataDir, launcher, logMaxBytes, logServer,
          logRotateInterval, resyncInterval, ports, gateway);
    }
  }
}
