package io.shepherd.server.testing;

import static org.awaitility.Awaitility.await;

import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.ShepherdApplication;
import io.shepherd.server.ShepherdConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole Shepherd application on port 0, against a test ZooKeeper (a {@link ZooKeeperExtension} stops after
 * every server of its class). The tests' admin token ({@link TestTokens}) is stored before the server starts.
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
  private final DropwizardTestSupport<ShepherdConfiguration> app;
  private final Supplier<String> connectString;
  private volatile boolean seedTestToken = true;
  private boolean running;
  private final SwitchedCommitHook commitHook = new SwitchedCommitHook();

  public ServerExtension(Supplier<String> connectString, ConfigOverride... overrides) {
    this("test-server.yml", connectString, overrides);
  }

  /** A server configured by the test resource {@code config} (and {@code overrides}) instead of test-server.yml. */
  public ServerExtension(String config, Supplier<String> connectString, ConfigOverride... overrides) {
    List<ConfigOverride> all = new ArrayList<>(List.of(overrides));
    all.add(ConfigOverride.config("zookeeper.connect", connectString));
    this.connectString = connectString;
    this.app = new DropwizardTestSupport<>(ShepherdApplication.class,
        ResourceHelpers.resourceFilePath(config), all.toArray(ConfigOverride[]::new)) {
      @Override
      public Application<ShepherdConfiguration> newApplication() {
        return new ShepherdApplication(commitHook);
      }
    };
  }

  /** The hook this server's controller runs between deciding and committing; none until a test sets one. */
  public SwitchedCommitHook commitHook() {
    return commitHook;
  }

  /**
   * A server that runs its own local agent (as node {@code nodeId}, keeping its files in {@code dataDir}), with any
   * further overrides.
   */
  public static ServerExtension withLocalAgent(Supplier<String> connectString, String nodeId, Path dataDir,
      ConfigOverride... extra) {
    return withLocalAgent("test-server.yml", connectString, nodeId, dataDir, extra);
  }

  /** A server with its own local agent, configured by the test resource {@code config}. */
  public static ServerExtension withLocalAgent(String config, Supplier<String> connectString, String nodeId,
      Path dataDir, ConfigOverride... extra) {
    List<ConfigOverride> all = new ArrayList<>(List.of(
        ConfigOverride.config("agent.enabled", "true"),
        ConfigOverride.config("agent.nodeId", nodeId),
        ConfigOverride.config("agent.dataDir", dataDir.toString())));
    all.addAll(List.of(extra));
    return new ServerExtension(config, connectString, all.toArray(ConfigOverride[]::new));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  public synchronized void start() throws Exception {
    if (!running) {
      DwProperties.started();
      // Stored before the server starts, so that it finds a cluster that is not new; a server whose ZooKeeper is
      // embedded (not up yet) makes a token of its own, and the tests' is stored once it runs.
      boolean seeded = seedTestToken && TestTokens.seed(connectString.get(), Duration.ofSeconds(2));
      try {
        app.before();
      } catch (Exception e) {
        DwProperties.stopped();
        throw e;
      }
      if (seedTestToken && !seeded) {
        TestTokens.seed(connectString.get());
      }
      running = true;
    }
  }

  /**
   * Starts without storing the tests' admin token first, so that a new cluster makes its own (bootstrap tests).
   * Call before the server starts.
   */
  public ServerExtension withoutTestToken() {
    seedTestToken = false;
    return this;
  }

  /** Stops the server gracefully (its latch is released, its embedded agent stops its copies). Idempotent. */
  public synchronized void stop() {
    if (running) {
      running = false;
      try {
        app.after();
      } finally {
        DwProperties.stopped();
      }
    }
  }

  /**
   * Dropwizard's test support passes each config override as a {@code dw.} system property, and on stopping puts back
   * the value it found at its start. Two servers of one test that override the same key in turn therefore leave the
   * first one's value behind when they stop in the order they started, and every later server of the test JVM
   * inherits it (two servers that both got {@code controller.serverId} from an earlier test saw no change of
   * leader). So the {@code dw.} properties as they were before the first of the running servers started are put back
   * once the last of them has stopped.
   */
  private static final class DwProperties {
    private static int running;
    private static java.util.Map<String, String> before = java.util.Map.of();

    static synchronized void started() {
      if (running++ == 0) {
        before = current();
      }
    }

    static synchronized void stopped() {
      if (--running == 0) {
        current().keySet().stream().filter(k -> !before.containsKey(k)).forEach(System::clearProperty);
        before.forEach(System::setProperty);
      }
    }

    private static java.util.Map<String, String> current() {
      java.util.Map<String, String> out = new java.util.HashMap<>();
      System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("dw."))
          .forEach(k -> out.put(k, System.getProperty(k)));
      return out;
    }
  }

  public int port() {
    return app.getLocalPort();
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + app.getAdminPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * A client of this server with the tests' admin token, returned once the server has a leader and at least one node
   * (its own agent) has registered. The caller closes it.
   */
  public ShepherdClient adminClientOnceUp() {
    ShepherdClient client = ShepherdClient.builder().server(baseUrl()).token(TestTokens.admin()).build();
    await().atMost(Duration.ofSeconds(20)).until(() -> client.leader().leader().isPresent()
        && !client.nodes().isEmpty());
    return client;
  }

  public ShepherdApplication application() {
    return app.getApplication();
  }

  public DropwizardTestSupport<ShepherdConfiguration> support() {
    return app;
  }
}
