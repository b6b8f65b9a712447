package io.shepherd.server.commands;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.shepherd.server.ShepherdConfiguration;
import io.shepherd.server.embedded.EmbeddedZooKeeper;
import io.shepherd.worker.zk.ZkAclApplier;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkSettings;
import java.io.PrintStream;
import java.net.BindException;
import java.util.concurrent.TimeUnit;
import net.sourceforge.argparse4j.inf.Namespace;
import org.apache.curator.framework.CuratorFramework;

/**
 * {@code java -jar shepherd-server.jar zk-acl conf/x.yml}: gives every existing znode under the root the ACL of the
 * configuration's {@code zookeeper.auth} and {@code zookeeper.acl}, as a server would create it. Idempotent; run it
 * once when ACLs are turned on for an existing tree, and after the list of ids changes. With the embedded ZooKeeper
 * it starts that ZooKeeper itself when the server is stopped, and uses the server's when it runs.
 */
public final class ZkAclCommand extends ConfiguredCommand<ShepherdConfiguration> {
  private final PrintStream out;

  public ZkAclCommand() {
    this(System.out);
  }

  ZkAclCommand(PrintStream out) {
    super("zk-acl", "Sets the ACL of every znode under zookeeper.root to Shepherd's ACL table (idempotent)");
    this.out = out;
  }

  @Override
  protected void run(Bootstrap<ShepherdConfiguration> bootstrap, Namespace namespace, ShepherdConfiguration config)
      throws Exception {
    ZkSettings settings = config.zooKeeperAccess(System.getenv()).server();
    if (!settings.access().restricted()) {
      throw new IllegalArgumentException("zookeeper.auth: not set (and no zookeeper.acl): there is no ACL to apply");
    }
    EmbeddedZooKeeper embedded = config.embeddedZooKeeper.enabled ? startEmbedded(config) : null;
    try (CuratorFramework client = ZkClients.newClient(settings)) {
      client.start();
      long timeoutMs = settings.connectionTimeout().toMillis() * 3;
      if (!client.blockUntilConnected((int) timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("zookeeper.connect: cannot reach " + settings.connect());
      }
      ZkAclApplier.Result result = new ZkAclApplier(client, settings.layout(), settings.access()).apply();
      out.printf("%s: %d znodes, %d ACLs changed%n", settings.root(), result.visited(), result.changed());
      result.failures().forEach(f -> out.println("failed: " + f));
      if (!result.failures().isEmpty()) {
        throw new IllegalStateException(result.failures().size() + " znodes could not be changed; use an identity "
            + "allowed to (the ensemble's super user) for them");
      }
    } finally {
      if (embedded != null) {
        embedded.stop();
      }
    }
  }

  /** The embedded ZooKeeper on its data, or null when its port is taken (the server runs it: use that one). */
  private static EmbeddedZooKeeper startEmbedded(ShepherdConfiguration config) throws Exception {
    EmbeddedZooKeeper zk = new EmbeddedZooKeeper(config.embeddedZooKeeper);
    try {
      zk.start();
      return zk;
    } catch (BindException e) {
      zk.stop();
      return null;
    }
  }

  @Override
  public void onError(io.dropwizard.core.cli.Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("zk-acl: " + e.getMessage());
  }
}
