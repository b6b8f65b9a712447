package io.shepherd.server.auth;

import io.dropwizard.lifecycle.Managed;
import io.shepherd.api.Role;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.worker.zk.ZkLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a new cluster its first admin token, exactly once across every server. A cluster is new while
 * {@code /tokens} does not exist; the server that creates it, together with the token, in one transaction, is the
 * one that bootstraps (the others' transactions fail and they do nothing). That server writes the secret to the
 * configured file, readable and writable by its own user only (0600), and logs the file's path, never the secret.
 *
 * <p>The secret is written to a temporary file beside the target first, so that a token is never created whose
 * secret could not be kept, and moved into place once the transaction commits. A transaction whose outcome is
 * unknown (the connection was lost) is settled by looking for the token it would have created. The work runs on a
 * thread of its own, retried until ZooKeeper answers, so that a server starting before ZooKeeper still starts.
 */
public final class AdminTokenBootstrap implements Managed {
  /** The name of a cluster's first token. */
  public static final String NAME = "admin";
  private static final Logger LOG = LoggerFactory.getLogger(AdminTokenBootstrap.class);

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final Path file;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "admin-token-bootstrap");
    t.setDaemon(true);
    return t;
  });

  /** What one server's bootstrap found. */
  public enum Outcome { CREATED, EXISTED }

  public AdminTokenBootstrap(CuratorFramework client, ZkLayout layout, Path file, Clock clock) {
    this.client = client;
    this.layout = layout;
    this.file = file.toAbsolutePath().normalize();
    this.clock = clock;
  }

  @Override
  public void start() {
    executor.execute(this::runUntilSettled);
  }

  @Override
  public void stop() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }

  private void runUntilSettled() {
    try {
      bootstrap();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.error("cannot write the admin token file {} ({}): no admin token was created; fix the path "
          + "(auth.bootstrapTokenFile) and restart", file, e.toString());
    }
  }

  /** Settles whether this cluster has tokens, creating the first one if it has none; retries ZooKeeper errors. */
  Outcome bootstrap() throws IOException, InterruptedException {
    TokenSecrets.Issued mine = null;
    Path pending = null;
    try {
      while (true) {
        try {
          if (mine != null && client.checkExists().forPath(layout.token(mine.record().id())) != null) {
            return created(mine, pending); // an earlier attempt committed before its answer was lost
          }
          if (client.checkExists().forPath(layout.tokens()) != null) {
            return Outcome.EXISTED;
          }
          if (mine == null) {
            mine = TokenSecrets.issue(random, NAME, Role.ADMIN, clock.instant(), Optional.empty());
            pending = writePrivate(mine.secret());
          }
          ensureRoot();
          client.transaction().forOperations(
              client.transactionOp().create().forPath(layout.tokens()),
              client.transactionOp().create().forPath(layout.token(mine.record().id()),
                  ServerZnodes.TOKEN.encode(mine.record())));
          return created(mine, pending);
        } catch (KeeperException.NodeExistsException anotherServerWon) {
          // Looked at again above: /tokens exists now, and not with this server's token.
        } catch (KeeperException e) {
          LOG.warn("cannot settle this cluster's first admin token yet ({}); retrying", e.code());
          client.blockUntilConnected(1, TimeUnit.SECONDS);
          Thread.sleep(1_000);
        } catch (InterruptedException | IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    } finally {
      if (pending != null) {
        Files.deleteIfExists(pending); // still there unless moved into place
      }
    }
  }

  private Outcome created(TokenSecrets.Issued token, Path pending) throws IOException {
    Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    LOG.warn("This cluster had no API token: created the admin token '{}' (id {}) and wrote its secret to {}, "
        + "readable only by this user. Create other tokens with it (shepherd token create), and keep the file safe "
        + "or revoke the token.", token.record().name(), token.record().id(), file);
    return Outcome.CREATED;
  }

  private void ensureRoot() throws Exception {
    if (client.checkExists().forPath(layout.root()) == null) {
      try {
        client.create().creatingParentsIfNeeded().forPath(layout.root());
      } catch (KeeperException.NodeExistsException raced) {
        // created by another server meanwhile
      }
    }
  }

  /** The secret in a new file beside the target, created with mode 0600 (never readable by others, not even briefly). */
  private Path writePrivate(String secret) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
    Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
    return tmp;
  }
}
