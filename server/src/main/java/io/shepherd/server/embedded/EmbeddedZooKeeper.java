package io.shepherd.server.embedded;

import io.dropwizard.lifecycle.Managed;
import io.shepherd.server.config.EmbeddedZooKeeperSettings;
import java.io.File;
import java.net.InetSocketAddress;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, standalone ZooKeeper server in this process, with snapshots and transaction logs on disk, so that a
 * restarted Shepherd finds its specs. Not curator-test: this is what the one-machine default runs on. Its
 * AdminServer (Jetty 9, which would clash with Dropwizard's) is never started.
 */
public final class EmbeddedZooKeeper implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
  private static final int MAX_CLIENT_CONNECTIONS = 1_000;

  private final EmbeddedZooKeeperSettings settings;
  private ZooKeeperServer server;
  private ServerCnxnFactory factory;

  public EmbeddedZooKeeper(EmbeddedZooKeeperSettings settings) {
    this.settings = settings;
  }

  @Override
  public void start() throws Exception {
    File dataDir = new File(settings.dataDir).getAbsoluteFile();
    if (!dataDir.isDirectory() && !dataDir.mkdirs()) {
      throw new IllegalStateException("cannot create the embedded ZooKeeper's data dir " + dataDir);
    }
    int tick = (int) settings.tickTime.toMilliseconds();
    server = new ZooKeeperServer(dataDir, dataDir, tick);
    factory = ServerCnxnFactory.createFactory(
        new InetSocketAddress(settings.bindHost, settings.port), MAX_CLIENT_CONNECTIONS);
    factory.startup(server);
    LOG.info("embedded ZooKeeper serving {}:{} with data in {} (tick {} ms)", settings.bindHost,
        factory.getLocalPort(), dataDir, tick);
  }

  /** The port it listens on (useful when configured as 0). */
  public int port() {
    return factory.getLocalPort();
  }

  public String connectString() {
    return settings.bindHost + ":" + port();
  }

  @Override
  public void stop() {
    if (factory != null) {
      factory.shutdown();
    }
    if (server != null) {
      server.shutdown(true);
    }
  }
}
