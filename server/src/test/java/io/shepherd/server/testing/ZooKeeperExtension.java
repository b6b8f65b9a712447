package io.shepherd.server.testing;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Curator TestingServer for a test class. Register it (as a static field) before any extension that connects to
 * it: JUnit runs after-all callbacks in reverse order, so ZooKeeper outlives its clients.
 *
 * <p>With {@code -Dtests.zookeeper=3.8} it is a real ZooKeeper 3.8 server instead ({@link ZooKeeper38Server}), so
 * that any test that needs only {@link #connectString()} runs on 3.8; {@link #server()} then fails, saying why (the
 * tests that stop, restart or inspect the TestingServer run on 3.9 only).
 */
public final class ZooKeeperExtension implements BeforeAllCallback, AfterAllCallback {
  /** Whether the tests' ZooKeeper is Debian's 3.8 rather than the 3.9 of the test classpath. */
  private static final boolean ON_38 = "3.8".equals(System.getProperty("tests.zookeeper"));
  private final int tickTimeMs;
  private TestingServer server;
  private ZooKeeper38Server debian;

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
    if (ON_38) {
      if (debian == null) {
        debian = new ZooKeeper38Server();
      }
      debian.start();
    } else if (server == null) {
      InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, tickTimeMs, -1, null, "127.0.0.1");
      server = new TestingServer(spec, true);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      server.close();
    }
    if (debian != null) {
      debian.close();
    }
  }

  public String connectString() {
    try {
      start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test ZooKeeper", e);
    }
    return ON_38 ? debian.connectString() : server.getConnectString();
  }

  public TestingServer server() {
    if (ON_38) {
      throw new IllegalStateException("this test stops, restarts or inspects Curator's TestingServer: it runs on the "
          + "3.9 of the test classpath only, not with -Dtests.zookeeper=3.8");
    }
    return server;
  }
}
