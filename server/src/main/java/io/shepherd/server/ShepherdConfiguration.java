package io.shepherd.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.shepherd.server.config.AgentSettings;
import io.shepherd.server.config.AuthConfig;
import io.shepherd.server.config.ControllerConfig;
import io.shepherd.server.config.EmbeddedZooKeeperSettings;
import io.shepherd.server.config.LogsConfig;
import io.shepherd.server.config.ZooKeeperSettings;
import io.shepherd.server.events.EventsConfig;
import io.shepherd.worker.zk.ZkSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

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

  /** The ZooKeeper settings as the worker module takes them. */
  public ZkSettings zkSettings() {
    return new ZkSettings(zookeeper.connect, zookeeper.root, zookeeper.sessionTimeout.toJavaDuration(),
        zookeeper.connectionTimeout.toJavaDuration());
  }
}
