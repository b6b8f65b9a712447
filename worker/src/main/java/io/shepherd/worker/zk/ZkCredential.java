package io.shepherd.worker.zk;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.apache.curator.framework.AuthInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * A ZooKeeper digest identity: a user and its password. {@link #toString()} never shows the password, so a
 * credential can be logged or put in an exception message safely.
 */
public final class ZkCredential {
  public static final String DIGEST = "digest";

  private final String user;
  private final String password;

  public ZkCredential(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isBlank() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a ZooKeeper digest user must be a non-empty name without ':'");
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("the password of ZooKeeper user " + user + " is empty");
    }
    this.user = user;
    this.password = password;
  }

  public String user() {
    return user;
  }

  /** What the client sends when its session is established: {@code addauth digest user:password}. */
  public AuthInfo authInfo() {
    return new AuthInfo(DIGEST, (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The id an ACL names this identity by: {@code digest:user:base64(sha1(user:password))}. */
  public Id id() {
    return new Id(DIGEST, digest(user, password));
  }

  /** ZooKeeper's digest of {@code user:password}: {@code user:base64(sha1(user:password))}. */
  public static String digest(String user, String password) {
    try {
      return DigestAuthenticationProvider.generateDigest(user + ":" + password);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-1", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ZkCredential c && c.user.equals(user) && c.password.equals(password);
  }

  @Override
  public int hashCode() {
    return user.hashCode();
  }

  @Override
  public String toString() {
    return "digest user " + user;
  }
}
