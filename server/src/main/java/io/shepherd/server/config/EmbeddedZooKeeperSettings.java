package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.PortRange;
import jakarta.validation.constraints.NotEmpty;
import java.util.concurrent.TimeUnit;

/** A single ZooKeeper server inside this process, with its data on disk: the one-machine default. */
public class EmbeddedZooKeeperSettings {
  @JsonProperty
  public boolean enabled = false;

  @NotEmpty
  @JsonProperty
  public String bindHost = "127.0.0.1";

  @PortRange
  @JsonProperty
  public int port = 2181;

  /** Snapshots and transaction logs: specs survive a restart because they are here. */
  @NotEmpty
  @JsonProperty
  public String dataDir = "./data/zookeeper";

  /** ZooKeeper's tick; session timeouts are bounded to [2, 20] ticks. */
  @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  public Duration tickTime = Duration.milliseconds(500);
}
