package io.shepherd.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.shepherd.server.config.ControllerConfig;
import io.shepherd.server.config.EmbeddedZooKeeperSettings;
import io.shepherd.server.config.ZooKeeperSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** shepherd.yml: Dropwizard's server settings plus ZooKeeper, the embedded ZooKeeper, the controller, the agent. */
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
}
