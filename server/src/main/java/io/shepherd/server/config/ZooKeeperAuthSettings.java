package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.shepherd.worker.zk.ZkCredential;
import io.shepherd.worker.zk.ZkCredentialSource;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;

/**
 * A ZooKeeper digest identity ({@code zookeeper.auth}, {@code agent.zookeeperAuth}): a user and where its password
 * is. The password is never logged; a generated password file is readable by its owner only.
 */
public class ZooKeeperAuthSettings {
  /** Only digest is configured here; x509 and SASL authenticate the connection (see docs/SECURITY.md). */
  @Pattern(regexp = ZkCredential.DIGEST, message = "must be digest (x509 and SASL need no auth section)")
  @JsonProperty
  public String scheme = ZkCredential.DIGEST;

  @NotEmpty
  @Pattern(regexp = "[^:]+", message = "must not contain ':'")
  @JsonProperty
  public String user;

  /** The password inline; prefer passwordFile or passwordEnv. */
  @JsonProperty
  public String password;

  /** A file whose first line is the password. */
  @JsonProperty
  public String passwordFile;

  /** An environment variable holding the password. */
  @JsonProperty
  public String passwordEnv;

  /** Create passwordFile (0600) with a random password if it does not exist: the one-machine default. */
  @JsonProperty
  public boolean generate = false;

  /** Exactly one place for the password, and generate only with a file (checked where the section is used). */
  @JsonIgnore
  public boolean hasOneSource() {
    int sources = (password != null ? 1 : 0) + (passwordFile != null ? 1 : 0) + (passwordEnv != null ? 1 : 0);
    return sources == 1 && (!generate || passwordFile != null);
  }

  /** Where the password is, for {@link ZkCredentialSource#resolve}. */
  public ZkCredentialSource source() {
    return new ZkCredentialSource(user, password, passwordFile == null ? null : Path.of(passwordFile), passwordEnv,
        generate);
  }

  @Override
  public String toString() {
    return "ZooKeeper credential of " + user;
  }
}
