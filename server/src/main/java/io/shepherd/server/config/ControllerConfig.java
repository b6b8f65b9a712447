package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.shepherd.server.controller.BreakerSettings;
import io.shepherd.server.controller.ControllerSettings;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
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

  /** The mass-loss breaker opens when more than this share of the nodes vanish within the window. */
  @DecimalMin("0.0")
  @DecimalMax("1.0")
  @JsonProperty
  public double massLossFraction = BreakerSettings.DEFAULT.maxLossFraction();

  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @JsonProperty
  public Duration massLossWindow = Duration.seconds(BreakerSettings.DEFAULT.window().toSeconds());

  /** With fewer nodes than this, a loss is never taken for a fault. */
  @Min(1)
  @JsonProperty
  public int massLossMinNodes = BreakerSettings.DEFAULT.minNodes();

  public ControllerSettings toSettings() {
    return new ControllerSettings(serverId.isBlank() ? defaultServerId() : serverId,
        resyncInterval.toJavaDuration(), launchTimeout.toJavaDuration(),
        new BreakerSettings(massLossFraction, massLossWindow.toJavaDuration(), massLossMinNodes));
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
