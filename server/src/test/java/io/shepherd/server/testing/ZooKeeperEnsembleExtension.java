package io.shepherd.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A three-server ZooKeeper ensemble (Curator's TestingCluster) on 127.0.0.1 for a test class; servers can be killed
 * and restarted one by one. Register it as a static field. Like {@link ZooKeeperExtension}, it stops once the class
 * is done, after every other extension's after-all callback, so that it outlives its clients.
 *
 * <p>Ticks of 250 ms keep elections and session expiry quick; a granted session lasts 250 ms to 60 s, so both the
 * 4 s sessions of the servers and agents and the invariant checker's 30 s one are granted as asked. The sync limits
 * are wider than ZooKeeper's default ticks would give, so that a busy machine does not drop followers by itself.
 */
public final class ZooKeeperEnsembleExtension implements BeforeAllCallback, AfterAllCallback {
  private static final int TICK_MS = 250;
  private static final Map<String, Object> PROPERTIES =
      Map.of("initLimit", "40", "syncLimit", "20", "maxSessionTimeout", "60000");
  private TestingCluster cluster;
  private List<InstanceSpec> specs;
  private Throwable failure;
  private boolean stopsWithTheClass;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
    context.getStore(ExtensionContext.Namespace.create(ZooKeeperEnsembleExtension.class, this))
        .put("cluster", (AutoCloseable) this::stop);
    stopsWithTheClass = true;
  }

  /** Starts the ensemble once; a start that failed is not tried again, so that every client fails fast. */
  private synchronized void start() throws Exception {
    if (failure != null) {
      throw new IllegalStateException("the test ensemble did not start", failure);
    }
    if (cluster != null) {
      return;
    }
    // Curator picks each port on its own and may pick one twice (a client port that is also another server's
    // quorum port): then the ensemble never forms. Nine ports held open together are nine different ports.
    List<Integer> ports = freePorts(9);
    specs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      specs.add(new InstanceSpec(null, ports.get(3 * i), ports.get(3 * i + 1), ports.get(3 * i + 2), true, -1,
          TICK_MS, -1, PROPERTIES, "127.0.0.1"));
    }
    TestingCluster started = new TestingCluster(specs);
    try {
      started.start();
      awaitQuorum(specs);
    } catch (Exception | AssertionError e) {
      failure = e;
      started.close();
      throw e;
    }
    cluster = started;
  }

  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        socket.setReuseAddress(true);
        held.add(socket);
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  /** Stops the ensemble here only if the before-all callback never ran (another extension's failed first). */
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (!stopsWithTheClass) {
      stop();
    }
  }

  private synchronized void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  public String connectString() {
    try {
      start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test ensemble", e);
    }
    return cluster.getConnectString();
  }

  public List<InstanceSpec> servers() {
    return List.copyOf(specs);
  }

  /** The server that leads the ensemble now. */
  public InstanceSpec leader() {
    return specs.stream().filter(s -> mode(s).filter("leader"::equals).isPresent()).findFirst()
        .orElseThrow(() -> new IllegalStateException("the ensemble has no leader"));
  }

  /** Kills one server, as a crash would (its clients are disconnected and move to the others). */
  public void kill(InstanceSpec server) throws Exception {
    cluster.killServer(server);
  }

  /** Starts a killed server again, with its data. */
  public void restart(InstanceSpec server) throws Exception {
    cluster.restartServer(server);
  }

  /** Waits until each of {@code running} serves as the leader or a follower, one of them leading. */
  public void awaitQuorum(List<InstanceSpec> running) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      List<String> modes = running.stream().map(s -> mode(s).orElse("down")).toList();
      return modes.stream().allMatch(m -> m.equals("leader") || m.equals("follower"))
          && modes.stream().filter("leader"::equals).count() == 1;
    });
  }

  /** "leader", "follower", ... as the server's {@code srvr} command says; empty while it does not serve. */
  public static Optional<String> mode(InstanceSpec server) {
    try {
      String srvr = FourLetterWordMain.send4LetterWord("127.0.0.1", server.getPort(), "srvr", false, 1_000);
      return srvr.lines().filter(l -> l.startsWith("Mode: ")).map(l -> l.substring("Mode: ".length()).trim())
          .findFirst();
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
