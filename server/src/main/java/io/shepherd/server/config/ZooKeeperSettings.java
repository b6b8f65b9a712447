package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/** Where ZooKeeper is and how this server's session behaves. */
public class ZooKeeperSettings {
  /** host:port[,host:port...]; with the embedded ZooKeeper on, its own address. */
  @NotEmpty
  @JsonProperty
  public String connect = "127.0.0.1:2181";

  /** The root under which all of Shepherd's znodes live. */
  @NotEmpty
  @Pattern(regexp = "/[A-Za-z0-9._/-]*[A-Za-z0-9._-]|/", message = "must be an absolute path without a trailing '/'")
  @JsonProperty
  public String root = "/shepherd";

  /**
   * The session timeout: how long after a host falls silent its copies are declared dead and replaced, and how
   * long a crashed leader's successor waits. The server bounds it to [2, 20] ticks.
   */
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @JsonProperty
  public Duration sessionTimeout = Duration.seconds(6);

  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  public Duration connectionTimeout = Duration.seconds(3);

  /** This server's ZooKeeper identity; none leaves every znode open (docs/SECURITY.md, "ZooKeeper ACLs"). */
  @Valid
  @JsonProperty
  public ZooKeeperAuthSettings auth;

  /** The other ids Shepherd's znodes admit. */
  @Valid
  @NotNull
  @JsonProperty
  public ZooKeeperAclSettings acl = new ZooKeeperAclSettings();
}
