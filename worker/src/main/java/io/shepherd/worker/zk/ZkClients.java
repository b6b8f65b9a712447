package io.shepherd.worker.zk;

import java.time.Duration;
import java.util.List;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * The one way Shepherd builds a Curator client, shared by the agent's main class and the server's embedded
 * agent so that both retry and time out alike.
 */
public final class ZkClients {
  /** First retry after 250 ms, doubling, at most 6 retries, never more than 5 s apart. */
  static final int BASE_SLEEP_MS = 250;
  static final int MAX_RETRIES = 6;
  static final int MAX_SLEEP_MS = 5_000;

  private ZkClients() {}

  /**
   * A new, <em>unstarted</em> client for {@code settings}: connect string, session and connection timeouts,
   * {@link ExponentialBackoffRetry}. No namespace: every path comes from {@link ZkLayout}, root included.
   * With {@link ZkSettings#access()} restricted, the client authenticates with its credential (if it has one) at
   * every connection and creates every znode with the ACL {@link ZkAcls} gives its path.
   * The caller starts and closes it.
   */
  public static CuratorFramework newClient(ZkSettings settings) {
    CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
        .connectString(settings.connect())
        .sessionTimeoutMs(millis(settings.sessionTimeout()))
        .connectionTimeoutMs(millis(settings.connectionTimeout()))
        .retryPolicy(retryPolicy());
    ZkAccess access = settings.access();
    if (access.restricted()) {
      builder.aclProvider(new ZkAcls(settings.layout(), access));
      access.credential().ifPresent(c -> builder.authorization(List.of(c.authInfo())));
    }
    return builder.build();
  }

  /** The retry policy of {@link #newClient}. */
  public static RetryPolicy retryPolicy() {
    return new ExponentialBackoffRetry(BASE_SLEEP_MS, MAX_RETRIES, MAX_SLEEP_MS);
  }

  /**
   * The id of the client's current ZooKeeper session; 0 while it has none. A change of this id across a
   * reconnection is the only sure sign that the session expired (Curator's LOST may be simulated).
   *
   * @throws Exception if Curator cannot hand out its ZooKeeper handle
   */
  public static long sessionId(CuratorFramework client) throws Exception {
    return client.getZookeeperClient().getZooKeeper().getSessionId();
  }

  /**
   * The session timeout the server granted at the last connection, in ms; before the first connection, the
   * connection timeout (a lower bound a caller can plan with).
   */
  public static int negotiatedSessionTimeoutMs(CuratorFramework client) {
    int negotiated = client.getZookeeperClient().getLastNegotiatedSessionTimeoutMs();
    return negotiated > 0 ? negotiated : client.getZookeeperClient().getConnectionTimeoutMs();
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
