package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.shepherd.server.controller.ControllerSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** How the controller behaves; see {@link ControllerSettings}. */
public class ControllerConfig {
  /** This server's id in the election; defaults to the host name and a random suffix. */
  @JsonProperty
  public String serverId = "";

  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  public Duration resyncInterval = Duration.seconds(10);

  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  public Duration launchTimeout = Duration.seconds(30);

  public ControllerSettings toSettings() {
    return new ControllerSettings(serverId.isBlank() ? defaultServerId() : serverId,
        resyncInterval.toJavaDuration(), launchTimeout.toJavaDuration());
  }

  private static String defaultServerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "server";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
