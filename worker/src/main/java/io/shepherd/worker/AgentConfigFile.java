package io.shepherd.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.shepherd.worker.agent.AgentConfig;
import io.shepherd.worker.agent.LauncherMode;
import io.shepherd.worker.gateway.GatewayConfig;
import io.shepherd.worker.agent.LogServerConfig;
import io.shepherd.worker.record.PortRange;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads an agent's YAML configuration ({@code conf/agent.yml} documents every field):
 *
 * <pre>
 * zookeeper: {connect, root, sessionTimeoutMs, connectionTimeoutMs}
 * agent: {nodeId, host, capacity, labels, dataDir, launcher, logs: {enabled, bindHost, port, maxBytes},
 *        ports: {from, to, allowPrivileged},
 *        gateway: {enabled, bindHost, allowPrivileged, connectTimeoutMs, maxTries, drainDelayMs}}
 * </pre>
 *
 * Only {@code zookeeper.connect} and {@code agent.dataDir} are required. Unknown fields are errors (a typo must not
 * silently fall back to a default). Every error is one line naming the field.
 */
public final class AgentConfigFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The two sections of the file. */
  public record Loaded(ZkSettings zookeeper, AgentConfig agent) {}

  private AgentConfigFile() {}

  /** Reads {@code file}; {@code hostname} supplies the defaults of {@code agent.nodeId} and {@code agent.host}. */
  public static Loaded load(Path file, Supplier<String> hostname) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read: " + e.getMessage());
    }
    return parse(file.toString(), text, hostname);
  }

  static Loaded parse(String name, String text, Supplier<String> hostname) throws ConfigException {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(name + ": not valid YAML" + where + ": " + oneLine(e.getOriginalMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(name + ": empty");
    }
    Section top = new Section(root, "", Set.of("zookeeper", "agent"));
    Section zk = top.section("zookeeper", Set.of("connect", "root", "sessionTimeoutMs", "connectionTimeoutMs"));
    Section agent = top.section("agent",
        Set.of("nodeId", "host", "capacity", "labels", "dataDir", "launcher", "logs", "ports", "gateway"));
    Section logs = agent.section("logs", Set.of("enabled", "bindHost", "port", "maxBytes"));
    Section portSection = agent.section("ports", Set.of("from", "to", "allowPrivileged"));
    Section gatewaySection = agent.section("gateway",
        Set.of("enabled", "bindHost", "allowPrivileged", "connectTimeoutMs", "maxTries", "drainDelayMs"));
    ZkSettings zookeeper = zookeeper(zk);

    String nodeId = agent.string("nodeId", hostname);
    if (!validSegment(nodeId)) {
      throw new ConfigException("agent.nodeId: must be a name without '/', got '" + nodeId + "'");
    }
    AgentConfig.Builder b = AgentConfig.builder(nodeId, Path.of(agent.string("dataDir", null)))
        .host(agent.string("host", hostname))
        .capacity((int) agent.integer("capacity", AgentConfig.DEFAULT_CAPACITY, 0, Integer.MAX_VALUE))
        .labels(agent.labels("labels"))
        .launcher(launcher(agent))
        .logMaxBytes(logs.integer("maxBytes", AgentConfig.DEFAULT_LOG_MAX_BYTES, 1, Long.MAX_VALUE))
        .ports(ports(portSection))
        .gateway(gateway(gatewaySection));
    if (logs.bool("enabled", true)) {
      b.logServer(new LogServerConfig(logs.string("bindHost", () -> LogServerConfig.DEFAULT_BIND_HOST),
          (int) logs.integer("port", LogServerConfig.DEFAULT_PORT, 0, 65_535)));
    } else {
      b.noLogServer();
    }
    return new Loaded(zookeeper, b.build());
  }

  private static ZkSettings zookeeper(Section zk) throws ConfigException {
    String connect = zk.string("connect", null);
    String root = zk.string("root", () -> ZkLayout.DEFAULT_ROOT);
    try {
      new ZkLayout(root);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("zookeeper.root: " + e.getMessage());
    }
    long session = zk.integer("sessionTimeoutMs", ZkSettings.DEFAULT_SESSION_TIMEOUT.toMillis(), 1, Integer.MAX_VALUE);
    long connection =
        zk.integer("connectionTimeoutMs", ZkSettings.DEFAULT_CONNECTION_TIMEOUT.toMillis(), 1, Integer.MAX_VALUE);
    return new ZkSettings(connect, root, Duration.ofMillis(session), Duration.ofMillis(connection));
  }

  /** {@code agent.ports}: from <= to, within 1024..65535 unless {@code allowPrivileged} lets it start at 1. */
  private static PortRange ports(Section ports) throws ConfigException {
    long lowest = ports.bool("allowPrivileged", false) ? 1 : PortRange.LOWEST_UNPRIVILEGED;
    long from = ports.integer("from", PortRange.DEFAULT.from(), lowest, PortRange.HIGHEST);
    long to = ports.integer("to", PortRange.DEFAULT.to(), lowest, PortRange.HIGHEST);
    if (from > to) {
      throw new ConfigException("agent.ports.to: must not be below agent.ports.from (" + from + "), got " + to);
    }
    return new PortRange((int) from, (int) to);
  }

  /** {@code agent.gateway}: every field optional, the defaults those of {@link GatewayConfig#DEFAULT}. */
  private static GatewayConfig gateway(Section g) throws ConfigException {
    GatewayConfig d = GatewayConfig.DEFAULT;
    return new GatewayConfig(
        g.bool("enabled", d.enabled()),
        g.string("bindHost", d::bindHost),
        g.bool("allowPrivileged", d.allowPrivilegedPorts()),
        Duration.ofMillis(g.integer("connectTimeoutMs", d.connectTimeout().toMillis(), 1, Integer.MAX_VALUE)),
        (int) g.integer("maxTries", d.maxTries(), 1, 100),
        Duration.ofMillis(g.integer("drainDelayMs", d.drainDelay().toMillis(), 0, 600_000)));
  }

  private static LauncherMode launcher(Section agent) throws ConfigException {
    String value = agent.string("launcher", () -> LauncherMode.PROCESS.name());
    try {
      return LauncherMode.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("agent.launcher: must be PROCESS or REGISTER_ONLY, got '" + value + "'");
    }
  }

  private static boolean validSegment(String s) {
    return !s.isBlank() && !s.equals(".") && !s.equals("..") && s.indexOf('/') < 0 && s.indexOf('\0') < 0;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** One mapping of the file, with the dotted name of its fields for messages. */
  private static final class Section {
    private final JsonNode node;
    private final String prefix;

    Section(JsonNode node, String prefix, Set<String> known) throws ConfigException {
      this.node = node;
      this.prefix = prefix;
      if (!node.isObject() && !node.isMissingNode()) {
        throw new ConfigException(prefix.isEmpty() ? "the file must be a mapping"
            : prefix.substring(0, prefix.length() - 1) + ": must be a mapping");
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!known.contains(field)) {
          throw new ConfigException(prefix + field + ": unknown field (known: " + String.join(", ", known.stream()
              .sorted().toList()) + ")");
        }
      }
    }

    Section section(String name, Set<String> known) throws ConfigException {
      JsonNode child = node.path(name);
      return new Section(child.isNull() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : child,
          prefix + name + ".", known);
    }

    /** A required string when {@code fallback} is null. */
    String string(String name, Supplier<String> fallback) throws ConfigException {
      JsonNode v = node.path(name);
      if (v.isMissingNode() || v.isNull()) {
        if (fallback == null) {
          throw new ConfigException(prefix + name + ": required");
        }
        return fallback.get();
      }
      if (!v.isValueNode() || v.isBoolean() || v.asText().isBlank()) {
        throw new ConfigException(prefix + name + ": must be a non-empty string, got " + v);
      }
      return v.asText();
    }

    long integer(String name, long fallback, long min, long max) throws ConfigException {
      JsonNode v = node.path(name);
      if (v.isMissingNode() || v.isNull()) {
        return fallback;
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
        throw new ConfigException(prefix + name + ": must be a whole number within " + min + ".." + max
            + ", got " + v);
      }
      return v.asLong();
    }

    boolean bool(String name, boolean fallback) throws ConfigException {
      JsonNode v = node.path(name);
      if (v.isMissingNode() || v.isNull()) {
        return fallback;
      }
      if (!v.isBoolean()) {
        throw new ConfigException(prefix + name + ": must be true or false, got " + v);
      }
      return v.asBoolean();
    }

    Map<String, String> labels(String name) throws ConfigException {
      JsonNode v = node.path(name);
      Map<String, String> labels = new LinkedHashMap<>();
      if (v.isMissingNode() || v.isNull()) {
        return labels;
      }
      if (!v.isObject()) {
        throw new ConfigException(prefix + name + ": must be a mapping of names to values, got " + v);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw new ConfigException(prefix + name + "." + e.getKey() + ": must be a string, got " + e.getValue());
        }
        labels.put(e.getKey(), e.getValue().asText());
      }
      return labels;
    }
  }
}
