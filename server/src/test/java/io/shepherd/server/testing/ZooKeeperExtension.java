package io.shepherd.server.testing;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Curator TestingServer for a test class. Register it (as a static field) before any extension that connects to
 * it: JUnit runs after-all callbacks in reverse order, so ZooKeeper outlives its clients.
 */
public final class ZooKeeperExtension implements BeforeAllCallback, AfterAllCallback {
  private final int tickTimeMs;
  private TestingServer server;

  public ZooKeeperExtension() {
    this(200);
  }

  public ZooKeeperExtension(int tickTimeMs) {
    this.tickTimeMs = tickTimeMs;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  private synchronized void start() throws Exception {
    if (server == null) {
      InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, tickTimeMs, -1, null, "127.0.0.1");
      server = new TestingServer(spec, true);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      server.close();
    }
  }

  public String connectString() {
    try {
      start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test ZooKeeper", e);
    }
    return server.getConnectString();
  }

  public TestingServer server() {
    return server;
  }
}
