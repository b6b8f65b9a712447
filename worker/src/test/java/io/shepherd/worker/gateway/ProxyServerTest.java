package io.shepherd.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy over real loopback sockets: bytes relayed both ways whole, a half-closed client still gets its answer,
 * a refused connect moves on to the next copy, and a client is closed once every try failed.
 */
class ProxyServerTest {
  private static final String LOOPBACK = "127.0.0.1";
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
  private ProxyServer proxy;

  @AfterEach
  void stop() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    for (ServerSocket s : servers) {
      s.close();
    }
    threads.shutdownNow();
  }

  /**
   * A copy that reads everything until the client ends its side, then answers with the byte count and a digest of
   * what it read, and closes.
   */
  private Target digestingCopy(String id) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK));
    servers.add(server);
    threads.execute(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          threads.execute(() -> answerDigest(s, id));
        } catch (IOException e) {
          return;
        }
      }
    });
    return new Target(id, LOOPBACK, server.getLocalPort());
  }

  private static void answerDigest(Socket s, String id) {
    try (s) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buf)) >= 0; ) {
        sha.update(buf, 0, n);
        total += n;
      }
      OutputStream out = s.getOutputStream();
      out.write((id + " " + total + " " + HexFormat.of().formatHex(sha.digest())).getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (Exception e) {
      // the test sees the missing answer
    }
  }

  /** A port nothing listens on: bound once, then closed. */
  private static Target refusingCopy(String id) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return new Target(id, LOOPBACK, s.getLocalPort());
    }
  }

  private int listen(Picker picker, int maxTries, Runnable onNoTarget) throws Exception {
    proxy = new ProxyServer(LOOPBACK, 1_000, maxTries, 1);
    proxy.bind(0, picker, onNoTarget);
    return proxy.localPort(0);
  }

  /** Sends {@code payload} through the gateway, ends its side, and returns the whole answer. */
  private static String exchange(int port, byte[] payload) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(LOOPBACK, port), 5_000);
      s.setSoTimeout(30_000);
      s.getOutputStream().write(payload);
      s.getOutputStream().flush();
      s.shutdownOutput();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Picker inOrder(List<Target> targets) {
    return tried -> targets.stream().filter(t -> !tried.contains(t)).findFirst();
  }

  @Test
  void relaysManyMegabytesWholeAndTheHalfClosedClientGetsTheAnswer() throws Exception {
    Target copy = digestingCopy("web-a");
    int port = listen(inOrder(List.of(copy)), 3, () -> { });
    byte[] payload = new byte[16 * 1024 * 1024];
    new Random(42).nextBytes(payload);
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));

    assertThat(exchange(port, payload)).isEqualTo("web-a " + payload.length + " " + digest);
  }

  @Test
  void aRefusedConnectMovesOnToTheNextCopy() throws Exception {
    Target refusing = refusingCopy("web-a");
    Target live = digestingCopy("web-b");
    List<Set<Target>> asked = new CopyOnWriteArrayList<>();
    int port = listen(tried -> {
      asked.add(tried);
      return inOrder(List.of(refusing, live)).pick(tried);
    }, 3, () -> { });

    assertThat(exchange(port, "hello".getBytes(StandardCharsets.UTF_8))).startsWith("web-b 5 ");
    assertThat(asked).containsExactly(Set.of(), Set.of(refusing));
  }

  @Test
  void aClientIsClosedOnceItsTriesAreUsedUp() throws Exception {
    List<Target> refusing = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      refusing.add(refusingCopy("web-" + i));
    }
    Target live = digestingCopy("web-live");
    refusing.add(live);
    AtomicInteger gaveUp = new AtomicInteger();
    int port = listen(inOrder(refusing), 3, gaveUp::incrementAndGet);

    // Three refused copies use up the three tries: the live fifth one is never reached.
    assertThat(exchange(port, "hello".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(gaveUp).hasValue(1);
  }

  @Test
  void withoutAnyCopyTheClientIsClosedAtOnce() throws Exception {
    AtomicInteger gaveUp = new AtomicInteger();
    int port = listen(tried -> Optional.empty(), 3, gaveUp::incrementAndGet);

    assertThat(exchange(port, "hello".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(gaveUp).hasValue(1);
  }

  @Test
  void aConnectionArrivingWhileNoCopyIsReadyWaitsForOne() throws Exception {
    Target live = digestingCopy("web-a");
    AtomicInteger asked = new AtomicInteger();
    // No copy is ready for the first few looks (a restart in place, say), then one is.
    int port = listen(tried -> asked.incrementAndGet() < 5 ? Optional.empty() : Optional.of(live), 3, () -> { });

    assertThat(exchange(port, "hello".getBytes(StandardCharsets.UTF_8))).startsWith("web-a 5 ");
    assertThat(asked).hasValue(5);
  }

  @Test
  void unbindingStopsListening() throws Exception {
    int port = listen(tried -> Optional.empty(), 1, () -> { });
    assertThat(proxy.ports()).containsExactly(0);

    proxy.unbind(0);

    assertThat(proxy.ports()).isEmpty();
    assertThat(canConnect(port)).isFalse();
  }

  private static boolean canConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
