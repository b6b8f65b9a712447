package io.shepherd.worker.zk;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach ZooKeeper: the {@code zookeeper:} section of a Shepherd configuration file.
 *
 * @param connect           the ensemble's connect string, {@code host:port[,host:port...]}
 * @param root              the root path under which Shepherd keeps everything ({@link ZkLayout#DEFAULT_ROOT})
 * @param sessionTimeout    the session timeout asked of the server (the server may negotiate it within its bounds)
 * @param connectionTimeout how long one connection attempt may take
 * @param access            who the client is to ZooKeeper and the ACLs of the znodes it creates
 */
public record ZkSettings(String connect, String root, Duration sessionTimeout, Duration connectionTimeout,
    ZkAccess access) {
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  public ZkSettings {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    Objects.requireNonNull(access, "access");
    if (connect.isBlank()) {
      throw new IllegalArgumentException("connect string is empty");
    }
    if (sessionTimeout.isNegative() || sessionTimeout.isZero()
        || connectionTimeout.isNegative() || connectionTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    new ZkLayout(root); // validates the root
  }

  /** Settings with {@link ZkAccess#open()} access: no credential, no ACLs. */
  public ZkSettings(String connect, String root, Duration sessionTimeout, Duration connectionTimeout) {
    this(connect, root, sessionTimeout, connectionTimeout, ZkAccess.open());
  }

  /** These settings with {@code access} instead. */
  public ZkSettings withAccess(ZkAccess access) {
    return new ZkSettings(connect, root, sessionTimeout, connectionTimeout, access);
  }

  /** Settings with the default root and timeouts. */
  public static ZkSettings of(String connect) {
    return new ZkSettings(connect, ZkLayout.DEFAULT_ROOT, DEFAULT_SESSION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT);
  }

  /** The layout of every path under {@link #root()}. */
  public ZkLayout layout() {
    return new ZkLayout(root);
  }
}
