package io.shepherd.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.ExposedRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.record.RefusedPort;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import io.shepherd.worker.zk.Znodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway against a real ZooKeeper: it listens on the ports claimed under {@code /exposed}, its targets follow
 * the instances' {@code ready} flags, a port handed to another set forwards to that set's copies, a released claim
 * stops the listener, and a privileged port is not bound without the agent's leave. The ports not bound are
 * published in the node record, as the agent does ({@link RefusalPublisher}, called on another thread).
 */
class GatewayWatchIT {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<ServerSocket> copies = new CopyOnWriteArrayList<>();
  private TestingServer zk;
  private final ExecutorService agentThread = Executors.newSingleThreadExecutor();
  private CuratorFramework client;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(true);
    client = ZkClients.newClient(new ZkSettings(zk.getConnectString(), ZkLayout.DEFAULT_ROOT, Duration.ofSeconds(6),
        Duration.ofSeconds(3)));
    client.start();
    client.blockUntilConnected();
    client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(LAYOUT.node("n1"),
        Znodes.NODE.encode(new NodeRecord("n1", "127.0.0.1", 4, Map.of(), Optional.empty(), Instant.EPOCH)));
    RefusalPublisher publisher = new RefusalPublisher(client, LAYOUT.node("n1"));
    gateway = new Gateway(client, LAYOUT, GatewayConfig.DEFAULT, refused -> agentThread.execute(() -> {
      try {
        publisher.publish(refused);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }));
    gateway.start();
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    agentThread.shutdownNow();
    client.close();
    zk.close();
    for (ServerSocket s : copies) {
      s.close();
    }
    threads.shutdownNow();
  }

  /** A copy that answers every connection with its name and closes it. */
  private int copy(String name) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    copies.add(server);
    threads.execute(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          s.getOutputStream().write(name.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          return;
        }
      }
    });
    return server.getLocalPort();
  }

  private static String ask(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      s.setSoTimeout(10_000);
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "failed: " + e;
    }
  }

  private void claim(int port, String set) throws Exception {
    byte[] data = RecordCodec.write(new ExposedRecord(set, "http"));
    if (client.checkExists().forPath(LAYOUT.exposedPort(port)) == null) {
      client.create().creatingParentsIfNeeded().forPath(LAYOUT.exposedPort(port), data);
    } else {
      client.setData().forPath(LAYOUT.exposedPort(port), data);
    }
  }

  private void instance(String set, String id, int copyPort, boolean ready) throws Exception {
    byte[] data = RecordCodec.write(new InstanceRecord(id, set, "n1", "127.0.0.1", 1, Instant.EPOCH, 1,
        Map.of("http", copyPort), ready));
    String path = LAYOUT.instance(set, id);
    if (client.checkExists().forPath(path) == null) {
      client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
    } else {
      client.setData().forPath(path, data);
    }
  }

  private List<RefusedPort> published() throws Exception {
    return Znodes.NODE.decode(client.getData().forPath(LAYOUT.node("n1"))).refusedPorts();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void theTargetsFollowTheReadyFlagsAndThePortFollowsItsClaim() throws Exception {
    int exposed = freePort();
    int a1 = copy("a1");
    int a2 = copy("a2");
    int b1 = copy("b1");
    instance("a", "a-1", a1, true);
    instance("a", "a-2", a2, false);
    instance("b", "b-1", b1, true);

    claim(exposed, "a");

    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.listening().contains(exposed)
        && gateway.targets(exposed).size() == 1);
    assertThat(gateway.targets(exposed)).containsExactly(new Target("a-1", "127.0.0.1", a1));
    assertThat(ask(exposed)).isEqualTo("a1");

    instance("a", "a-2", a2, true);
    instance("a", "a-1", a1, false);
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.targets(exposed).stream()
        .map(Target::instanceId).toList().equals(List.of("a-2")));
    assertThat(ask(exposed)).isEqualTo("a2");

    // The port handed to another set: the listener stays, its connections go to the new set's copies.
    claim(exposed, "b");
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.targets(exposed).stream()
        .map(Target::instanceId).toList().equals(List.of("b-1")));
    assertThat(ask(exposed)).isEqualTo("b1");

    client.delete().forPath(LAYOUT.exposedPort(exposed));
    await().atMost(Duration.ofSeconds(20)).until(() -> !gateway.listening().contains(exposed));
    assertThat(gateway.targets(exposed)).isEmpty();
  }

  @Test
  void aPrivilegedPortIsNotBoundWithoutTheAgentsLeave() throws Exception {
    int exposed = freePort();
    instance("a", "a-1", copy("a1"), true);
    claim(80, "a");
    claim(exposed, "a");

    // The claim of port 80 was made first: once the later one is served, the gateway has seen both.
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.listening().contains(exposed));
    assertThat(gateway.listening()).doesNotContain(80);
    assertThat(ask(exposed)).isEqualTo("a1");

    // The node record says which port is not served, for which set, and why; it clears once 80 is not exposed.
    await().atMost(Duration.ofSeconds(20)).until(() -> !published().isEmpty());
    assertThat(published()).singleElement().satisfies(r -> {
      assertThat(r.port()).isEqualTo(80);
      assertThat(r.replicaSet()).isEqualTo("a");
      assertThat(r.reason()).contains("privileged").contains("agent.gateway.allowPrivileged");
    });
    client.delete().forPath(LAYOUT.exposedPort(80));
    await().atMost(Duration.ofSeconds(20)).until(() -> published().isEmpty());
    assertThat(gateway.refused()).isEmpty();
  }

  @Test
  void aPortTakenByAnotherProcessIsPublishedWithTheOsMessage() throws Exception {
    int exposed = freePort();
    ServerSocket other = new ServerSocket(exposed, 1, InetAddress.getLoopbackAddress());
    copies.add(other);
    instance("a", "a-1", copy("a1"), true);
    claim(exposed, "a");

    await().atMost(Duration.ofSeconds(20)).until(() -> !published().isEmpty());
    assertThat(published()).singleElement().satisfies(r -> {
      assertThat(r.port()).isEqualTo(exposed);
      assertThat(r.replicaSet()).isEqualTo("a");
      assertThat(r.reason()).contains("cannot bind").contains("in use");
    });
  }
}
