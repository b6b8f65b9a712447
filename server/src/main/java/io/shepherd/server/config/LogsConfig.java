package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import java.util.concurrent.TimeUnit;

/** The {@code logs:} section of shepherd.yml: how the server fetches a copy's log from the agent that has it. */
public class LogsConfig {
  /** How long connecting to an agent's log server may take. */
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.HOURS)
  @JsonProperty
  public Duration connectTimeout = Duration.seconds(5);

  /**
   * How long an agent may keep the server waiting: for its answer, and between two parts of a log that is not
   * followed. A followed log may stay quiet for as long as its copy does.
   */
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.HOURS)
  @JsonProperty
  public Duration agentTimeout = Duration.seconds(15);

  /**
   * TLS to the agents' HTTP ports: this server's keystore (its certificate is the credential agents ask for) and
   * the cluster's CA; none: plain HTTP (an {@code https} agent URL is then checked against the JDK's CAs).
   */
  @Valid
  @JsonProperty
  public ClusterTlsSettings tls;
}
