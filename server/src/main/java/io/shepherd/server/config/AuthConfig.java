package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;

/**
 * {@code auth:} in shepherd.yml. Every API request needs a token; a cluster's first server to start writes the
 * secret of the first admin token to {@link #bootstrapTokenFile} (mode 0600) and logs where, never the secret.
 */
public class AuthConfig {
  /** Where the first server of a new cluster writes its admin token's secret; relative to the working directory. */
  @NotEmpty
  @JsonProperty
  public String bootstrapTokenFile = "admin.token";
}
