package io.shepherd.server.testing;

import io.shepherd.api.Role;
import io.shepherd.server.auth.TokenSecrets;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;

/**
 * The admin token of the whole-server tests. {@link ServerExtension} and {@link ServerProcess} store it in the test
 * ZooKeeper before a server starts ({@link #seed}), so the cluster is not new and makes no token of its own, and
 * every client of the harness ({@link Api}, {@link StreamedGet}, the SDK and CLI in tests) sends it. One secret per
 * test JVM, made with {@link SecureRandom} as the server makes its own.
 */
public final class TestTokens {
  private static final TokenSecrets.Issued ADMIN =
      TokenSecrets.issue(new SecureRandom(), "test-admin", Role.ADMIN, Instant.now(), Optional.empty());

  private TestTokens() {}

  /** The secret of the tests' admin token. */
  public static String admin() {
    return ADMIN.secret();
  }

  /** {@code Bearer <admin secret>}. */
  public static String bearer() {
    return "Bearer " + admin();
  }

  /** Stores the admin token under the default root of {@code connectString}'s ZooKeeper, unless it is there. */
  public static void seed(String connectString) {
    if (!seed(connectString, Duration.ofSeconds(60))) {
      throw new IllegalStateException("cannot reach the test ZooKeeper at " + connectString + " to store the test token");
    }
  }

  /**
   * Like {@link #seed(String)}, but gives up when ZooKeeper cannot be reached within {@code wait} (a server with an
   * embedded ZooKeeper has none before it starts); returns whether the token is stored.
   */
  public static boolean seed(String connectString, Duration wait) {
    ZkLayout layout = ZkLayout.defaultLayout();
    // As the tests' server identity, so that what it creates (the root, /tokens) carries the servers' ACLs.
    try (CuratorFramework client = TestZkAuth.serverBuilder(connectString).sessionTimeoutMs(30_000)
        .connectionTimeoutMs((int) wait.toMillis()).retryPolicy(new RetryOneTime(100)).build()) {
      client.start();
      if (!client.blockUntilConnected((int) wait.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
      client.create().creatingParentsIfNeeded()
          .forPath(layout.token(ADMIN.record().id()), RecordCodec.write(ADMIN.record()));
      return true;
    } catch (KeeperException.NodeExistsException seededBefore) {
      return true; // an earlier server of this test stored it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while seeding the test token", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot store the test token in " + connectString, e);
    }
  }
}
