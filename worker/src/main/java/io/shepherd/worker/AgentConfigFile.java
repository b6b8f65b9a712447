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
import io.shepherd.worker.tls.TlsContexts;
import io.shepherd.worker.zk.ZkAccess;
import io.shepherd.worker.zk.ZkCredential;
import io.shepherd.worker.zk.ZkCredentialSource;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.zookeeper.data.Id;

/**
 * Reads an agent's YAML configuration ({@code conf/agent.yml} documents every field):
 *
 * <pre>
 * zookeeper: {connect, root, sessionTimeoutMs, connectionTimeoutMs,
 *            auth: {user, password | passwordFile | passwordEnv}, acl: {servers: [id...], agents: [id...]}}
 * agent: {nodeId, host, capacity, labels, dataDir, launcher, logs: {enabled, bindHost, port, maxBytes,
 *        tls: {keyStore, keyStorePassword | keyStorePasswordFile | keyStorePasswordEnv, caFile,
 *        requireClientCertificate}},
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
    return load(file, hostname, System.getenv());
  }

  /** Reads {@code file}; {@code env} holds the variables a {@code zookeeper.auth.passwordEnv} may name. */
  public static Loaded load(Path file, Supplier<String> hostname, Map<String, String> env) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read: " + e.getMessage());
    }
    return parse(file.toString(), text, hostname, env);
  }

  static Loaded parse(String name, String text, Supplier<String> hostname) throws ConfigException {
    return parse(name, text, hostname, Map.of());
  }

  static Loaded parse(String name, String text, Supplier<String> hostname, Map<String, String> env)
      throws ConfigException {
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
    Section zk = top.section("zookeeper",
        Set.of("connect", "root", "sessionTimeoutMs", "connectionTimeoutMs", "auth", "acl"));
    Section agent = top.section("agent",
        Set.of("nodeId", "host", "capacity", "labels", "dataDir", "launcher", "logs", "ports", "gateway"));
    Section logs = agent.section("logs", Set.of("enabled", "bindHost", "port", "maxBytes", "tls"));
    Section logsTls = logs.section("tls", Set.of("keyStore", "keyStorePassword", "keyStorePasswordFile",
        "keyStorePasswordEnv", "caFile", "requireClientCertificate"));
    Section portSection = agent.section("ports", Set.of("from", "to", "allowPrivileged"));
    Section gatewaySection = agent.section("gateway",
        Set.of("enabled", "bindHost", "allowPrivileged", "connectTimeoutMs", "maxTries", "drainDelayMs"));
    ZkSettings zookeeper = zookeeper(zk).withAccess(access(zk, env));

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
          (int) logs.integer("port", LogServerConfig.DEFAULT_PORT, 0, 65_535), logsTls(logsTls, env)));
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

  /**
   * {@code zookeeper.auth} (this agent's digest identity) and {@code zookeeper.acl} (the ids of the servers and of
   * the agents): with neither, access is open; with either, every znode the agent creates gets ACLs, and the servers'
   * ids are required (the servers must be able to read what the agent registers).
   */
  private static ZkAccess access(Section zk, Map<String, String> env) throws ConfigException {
    Section auth = zk.section("auth", Set.of("scheme", "user", "password", "passwordFile", "passwordEnv"));
    Section acl = zk.section("acl", Set.of("servers", "agents"));
    Optional<ZkCredential> own = Optional.empty();
    if (auth.present()) {
      String scheme = auth.string("scheme", () -> ZkCredential.DIGEST);
      if (!scheme.equals(ZkCredential.DIGEST)) {
        throw new ConfigException("zookeeper.auth.scheme: only digest is configured here (x509 and SASL authenticate "
            + "the connection itself: leave auth out and list the ids under zookeeper.acl), got '" + scheme + "'");
      }
      ZkCredentialSource source = new ZkCredentialSource(auth.string("user", null),
          auth.optionalString("password"), auth.optionalString("passwordFile") == null ? null
              : Path.of(auth.optionalString("passwordFile")), auth.optionalString("passwordEnv"), false);
      try {
        own = Optional.of(source.resolve(env));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("zookeeper.auth." + e.getMessage());
      }
    }
    List<Id> servers = acl.ids("servers");
    List<Id> agents = acl.ids("agents");
    if (own.isEmpty() && servers.isEmpty() && agents.isEmpty()) {
      return ZkAccess.open();
    }
    if (servers.isEmpty()) {
      throw new ConfigException("zookeeper.acl.servers: required with zookeeper.auth or zookeeper.acl: the ids of "
          + "the servers, which must read what this agent registers");
    }
    return ZkAccess.agent(own, servers, agents);
  }

  /**
   * {@code agent.logs.tls}: the log server over HTTPS with this agent's keystore, requiring (by default) a client
   * certificate signed by the cluster's CA, which the servers present.
   */
  private static Optional<LogServerConfig.Tls> logsTls(Section tls, Map<String, String> env) throws ConfigException {
    if (!tls.present()) {
      return Optional.empty();
    }
    String keyStore = tls.string("keyStore", null);
    String caFile = tls.string("caFile", null);
    String inline = tls.optionalString("keyStorePassword");
    String file = tls.optionalString("keyStorePasswordFile");
    String var = tls.optionalString("keyStorePasswordEnv");
    if ((inline != null ? 1 : 0) + (file != null ? 1 : 0) + (var != null ? 1 : 0) != 1) {
      throw new ConfigException("agent.logs.tls.keyStorePassword: give exactly one of keyStorePassword, "
          + "keyStorePasswordFile, keyStorePasswordEnv");
    }
    String password = inline;
    if (file != null) {
      try {
        password = Files.readString(Path.of(file)).lines().findFirst().orElse("").strip();
      } catch (IOException e) {
        throw new ConfigException("agent.logs.tls.keyStorePasswordFile: " + file + " cannot be read");
      }
    } else if (var != null) {
      password = env.get(var);
      if (password == null) {
        throw new ConfigException("agent.logs.tls.keyStorePasswordEnv: the environment variable " + var
            + " is not set");
      }
    }
    try {
      return Optional.of(new LogServerConfig.Tls(
          TlsContexts.cluster(Path.of(keyStore), password.toCharArray(), Path.of(caFile)),
          tls.bool("requireClientCertificate", true)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("agent.logs.tls: " + e.getMessage());
    }
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

    boolean present() {
      return !node.isMissingNode();
    }

    /** A string that may be absent (null). */
    String optionalString(String name) throws ConfigException {
      JsonNode v = node.path(name);
      return v.isMissingNode() || v.isNull() ? null : string(name, null);
    }

    /** A list of ACL ids, {@code scheme:id}; empty when absent. */
    List<Id> ids(String name) throws ConfigException {
      JsonNode v = node.path(name);
      List<Id> ids = new ArrayList<>();
      if (v.isMissingNode() || v.isNull()) {
        return ids;
      }
      if (!v.isArray()) {
        throw new ConfigException(prefix + name + ": must be a list of ids (scheme:id), got " + v);
      }
      for (int i = 0; i < v.size(); i++) {
        try {
          ids.add(ZkAccess.parseId(v.get(i).asText()));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(prefix + name + "[" + i + "]: " + e.getMessage());
        }
      }
      return ids;
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
