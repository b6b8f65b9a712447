package io.shepherd.server.testing;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Curator TestingServer for a test class (register it as a static field). It stops once the class is done: when
 * the class's extension context closes, after every other extension's after-all callback and every
 * {@code @AfterAll} method, so that ZooKeeper outlives its clients. (JUnit does not register a class's extension
 * fields in the order they are declared, nor run their after-all callbacks in reverse of it: a server stopped after
 * its ZooKeeper would wait in vain to record the ends of its agent's copies.) An extension that asks for
 * {@link #connectString()} before this one's before-all callback starts it then.
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
  private boolean stopsWithTheClass;

  public ZooKeeperExtension() {
    this(200);
  }

  public ZooKeeperExtension(int tickTimeMs) {
    this.tickTimeMs = tickTimeMs;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
    context.getStore(ExtensionContext.Namespace.create(ZooKeeperExtension.class, this))
        .put("server", (AutoCloseable) this::stop);
    stopsWithTheClass = true;
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

  /** Stops ZooKeeper here only if the before-all callback never ran (another extension's failed first). */
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (!stopsWithTheClass) {
      stop();
    }
  }

  private synchronized void stop() throws Exception {
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
