package io.shepherd.server;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.validation.ValidationMethod;
import io.shepherd.server.config.AgentSettings;
import io.shepherd.server.config.AuthConfig;
import io.shepherd.server.config.ControllerConfig;
import io.shepherd.server.config.EmbeddedZooKeeperSettings;
import io.shepherd.server.config.LogsConfig;
import io.shepherd.server.config.ZooKeeperAuthSettings;
import io.shepherd.server.config.ZooKeeperSettings;
import io.shepherd.server.events.EventsConfig;
import io.shepherd.worker.zk.ZkAccess;
import io.shepherd.worker.zk.ZkCredential;
import io.shepherd.worker.zk.ZkSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.zookeeper.data.Id;

/**
 * shepherd.yml: Dropwizard's server settings plus ZooKeeper, the embedded ZooKeeper, the controller, the agent, the
 * event stream, the log proxy, the API's tokens.
 */
public class ShepherdConfiguration extends Configuration {
  @Valid
  @NotNull
  @JsonProperty
  public ZooKeeperSettings zookeeper = new ZooKeeperSettings();

  @Valid
  @NotNull
  @JsonProperty
  public EmbeddedZooKeeperSettings embeddedZooKeeper = new EmbeddedZooKeeperSettings();

  @Valid
  @NotNull
  @JsonProperty
  public ControllerConfig controller = new ControllerConfig();

  @Valid
  @NotNull
  @JsonProperty
  public AgentSettings agent = new AgentSettings();

  @Valid
  @NotNull
  @JsonProperty
  public EventsConfig events = new EventsConfig();

  @Valid
  @NotNull
  @JsonProperty
  public LogsConfig logs = new LogsConfig();

  @Valid
  @NotNull
  @JsonProperty
  public AuthConfig auth = new AuthConfig();

  /** The ZooKeeper settings as the worker module takes them, with open access (see {@link #zooKeeperAccess}). */
  public ZkSettings zkSettings() {
    return new ZkSettings(zookeeper.connect, zookeeper.root, zookeeper.sessionTimeout.toJavaDuration(),
        zookeeper.connectionTimeout.toJavaDuration());
  }

  @ValidationMethod(message = "zookeeper.auth: give exactly one of password, passwordFile, passwordEnv; generate "
      + "only with passwordFile")
  @JsonIgnore
  public boolean isServerPasswordSourced() {
    return zookeeper.auth == null || zookeeper.auth.hasOneSource();
  }

  @ValidationMethod(message = "agent.zookeeperAuth: give exactly one of password, passwordFile, passwordEnv; "
      + "generate only with passwordFile")
  @JsonIgnore
  public boolean isAgentPasswordSourced() {
    return agent.zookeeperAuth == null || agent.zookeeperAuth.hasOneSource();
  }

  @ValidationMethod(message = "zookeeper.auth.passwordFile: no such file (generate: true creates it)")
  @JsonIgnore
  public boolean isServerPasswordFilePresent() {
    return passwordFilePresent(zookeeper.auth);
  }

  @ValidationMethod(message = "agent.zookeeperAuth.passwordFile: no such file (generate: true creates it)")
  @JsonIgnore
  public boolean isAgentPasswordFilePresent() {
    return !agent.enabled || passwordFilePresent(agent.zookeeperAuth);
  }

  private static boolean passwordFilePresent(ZooKeeperAuthSettings auth) {
    return auth == null || auth.passwordFile == null || auth.generate || Files.exists(Path.of(auth.passwordFile));
  }

  @ValidationMethod(message = "agent.zookeeperAuth: required when zookeeper.auth or zookeeper.acl is set and the "
      + "agent is enabled (the embedded agent has an identity of its own)")
  @JsonIgnore
  public boolean isAgentAuthenticated() {
    boolean restricted = zookeeper.auth != null || !zookeeper.acl.isEmpty();
    return !restricted || !agent.enabled || agent.zookeeperAuth != null;
  }

  @ValidationMethod(message = "zookeeper.acl.servers: required when ZooKeeper ACLs are on without zookeeper.auth "
      + "(the servers' own ids)")
  @JsonIgnore
  public boolean isServerIdentified() {
    return zookeeper.acl.isEmpty() || zookeeper.auth != null || !zookeeper.acl.servers.isEmpty();
  }

  /**
   * The server's and the embedded agent's ZooKeeper settings, credentials resolved (a {@code generate}d password
   * file is created now). Both open when neither {@code zookeeper.auth} nor {@code zookeeper.acl} is set.
   *
   * @throws IllegalArgumentException naming the field whose password cannot be had
   */
  public ZooKeeperAccess zooKeeperAccess(Map<String, String> env) {
    ZkSettings open = zkSettings();
    if (zookeeper.auth == null && zookeeper.acl.isEmpty()) {
      return new ZooKeeperAccess(open, open);
    }
    Optional<ZkCredential> own = Optional.ofNullable(zookeeper.auth).map(a -> resolve("zookeeper.auth.", a, env));
    Optional<ZkCredential> agentOwn = agent.enabled
        ? Optional.ofNullable(agent.zookeeperAuth).map(a -> resolve("agent.zookeeperAuth.", a, env))
        : Optional.empty();
    List<Id> agents = new ArrayList<>();
    agentOwn.ifPresent(c -> agents.add(c.id()));
    zookeeper.acl.agentIds().stream().filter(id -> !agents.contains(id)).forEach(agents::add);
    ZkAccess server = ZkAccess.server(own, zookeeper.acl.serverIds(), agents);
    return new ZooKeeperAccess(open.withAccess(server),
        open.withAccess(new ZkAccess(agentOwn, server.servers(), server.agents())));
  }

  private static ZkCredential resolve(String prefix, ZooKeeperAuthSettings auth, Map<String, String> env) {
    try {
      return auth.source().resolve(env);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + e.getMessage(), e);
    }
  }

  /** The ZooKeeper settings of this server's own client and of its embedded agent's. */
  public record ZooKeeperAccess(ZkSettings server, ZkSettings agent) {}
}
