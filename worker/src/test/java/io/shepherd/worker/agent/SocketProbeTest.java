package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.agent.ProbeTracker.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The http and tcp probes' client against real sockets on 127.0.0.1: what it sends, what passes, what fails. */
class SocketProbeTest {
  private final ProbeLoop loop = new ProbeLoop("test-probes");
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private ServerSocket server;

  @AfterEach
  void tearDown() throws IOException {
    loop.close();
    if (server != null) {
      server.close();
    }
    for (Socket s : accepted) {
      s.close();
    }
  }

  @ParameterizedTest(name = "status {0} passes: {1}")
  @CsvSource({"200,true", "204,true", "302,true", "399,true", "400,false", "404,false", "500,false", "503,false"})
  void passesOn200To399(int status, boolean passes) throws Exception {
    int port = serve(out -> write(out, "HTTP/1.1 " + status + " Whatever\r\nContent-Length: 2\r\n\r\nok"));

    Result r = http(port, "/health", 2_000);

    assertThat(r.passed()).isEqualTo(passes);
    assertThat(r.output()).isEqualTo(passes ? "status " + status
        : "GET http://127.0.0.1:" + port + "/health: status " + status);
  }

  @Test
  void sendsOneHttp11GetWithHostAndConnectionClose() throws Exception {
    int port = serve(out -> write(out, "HTTP/1.0 200 OK\r\n\r\n"));

    assertThat(http(port, "/ready?full=1", 2_000).passed()).isTrue();

    assertThat(requests).hasSize(1);
    assertThat(requests.get(0)).startsWith("GET /ready?full=1 HTTP/1.1\r\n")
        .contains("\r\nHost: 127.0.0.1:" + port + "\r\n")
        .contains("\r\nConnection: close\r\n")
        .endsWith("\r\n\r\n");
  }

  @Test
  void aServerThatAcceptsAndNeverAnswersTimesOut() throws Exception {
    int port = serve(out -> { }); // holds the connection open, says nothing

    Result r = http(port, "/", 200);

    assertThat(r.passed()).isFalse();
    assertThat(r.output()).isEqualTo("GET http://127.0.0.1:" + port + "/: timed out");
  }

  @Test
  void aConnectionTheServerHasClosedIsResetNotClosed() throws Exception {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    CompletableFuture<String> seenByServer = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        readHead(s.getInputStream());
        s.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        s.shutdownOutput(); // the server's end of stream; it still reads to see how the probe leaves
        seenByServer.complete(s.getInputStream().read() < 0 ? "closed" : "more data");
      } catch (IOException e) {
        seenByServer.complete(e.getMessage());
      }
    }, "test-server");
    t.setDaemon(true);
    t.start();

    assertThat(http(server.getLocalPort(), "/", 2_000).passed()).isTrue();

    assertThat(seenByServer.get(5, TimeUnit.SECONDS)).isEqualTo("Connection reset");
  }

  @Test
  void aRefusedPortFails() throws Exception {
    int port = closedPort();

    assertThat(http(port, "/", 2_000)).isEqualTo(
        Result.fail("GET http://127.0.0.1:" + port + "/: connection refused"));
    assertThat(tcp(port, 2_000)).isEqualTo(Result.fail("connect to 127.0.0.1:" + port + ": connection refused"));
  }

  @Test
  void aStatusLineCutShortByTheServerFails() throws Exception {
    int port = serve(out -> {
      write(out, "HTTP/1.1 20");
      throw new UncheckedIOException(new IOException("closing"));
    });

    assertThat(http(port, "/", 2_000)).isEqualTo(Result.fail("GET http://127.0.0.1:" + port
        + "/: the connection was closed within the status line"));
  }

  @Test
  void aServerThatClosesWithoutAResponseFails() throws Exception {
    int port = serve(out -> {
      throw new UncheckedIOException(new IOException("closing"));
    });

    assertThat(http(port, "/", 2_000)).isEqualTo(Result.fail("GET http://127.0.0.1:" + port
        + "/: the connection was closed without a response"));
  }

  @Test
  void aHugeHeaderAfterTheStatusLineDoesNotMatter() throws Exception {
    String header = "X-Big: " + "a".repeat(4 * 1024 * 1024) + "\r\n";
    int port = serve(out -> write(out, "HTTP/1.1 200 OK\r\n" + header + "\r\n"));

    assertThat(http(port, "/", 2_000)).isEqualTo(Result.pass("status 200"));
  }

  @Test
  void somethingElseThanHttpFails() throws Exception {
    int port = serve(out -> write(out, "SSH-2.0-OpenSSH_9.2\r\n"));

    assertThat(http(port, "/", 2_000)).isEqualTo(Result.fail("GET http://127.0.0.1:" + port
        + "/: not an HTTP response: SSH-2.0-OpenSSH_9.2"));
  }

  @Test
  void aFirstLineLongerThanAnyStatusLineFails() throws Exception {
    int port = serve(out -> write(out, "x".repeat(100_000)));

    Result r = http(port, "/", 2_000);

    assertThat(r.passed()).isFalse();
    assertThat(r.output()).endsWith("no status line in the first " + SocketProbe.MAX_STATUS_LINE + " bytes");
  }

  @Test
  void aPathThatCannotBeSentFailsWithoutConnecting() throws Exception {
    int port = serve(out -> write(out, "HTTP/1.1 200 OK\r\n\r\n"));

    assertThat(http(port, "/a b", 2_000).output()).endsWith(": not a valid path");
    assertThat(requests).isEmpty();
  }

  @Test
  void tcpPassesOnceConnected() throws Exception {
    int port = serve(out -> { });

    assertThat(tcp(port, 2_000)).isEqualTo(Result.pass("connected to 127.0.0.1:" + port));
  }

  @Test
  void manyProbesRunAtOnceOnTheOneThread() throws Exception {
    int port = serve(out -> write(out, "HTTP/1.1 200 OK\r\n\r\n"));
    List<CompletableFuture<Result>> results = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 50; i++) {
      CompletableFuture<Result> r = new CompletableFuture<>();
      results.add(r);
      loop.execute(() -> SocketProbe.http(loop, port, "/", 5_000, r::complete));
    }
    for (CompletableFuture<Result> r : results) {
      assertThat(r.get(20, TimeUnit.SECONDS)).isEqualTo(Result.pass("status 200"));
    }
  }

  private Result http(int port, String path, long timeoutMs) throws Exception {
    CompletableFuture<Result> r = new CompletableFuture<>();
    loop.execute(() -> SocketProbe.http(loop, port, path, timeoutMs, onLoop(r)));
    return r.get(20, TimeUnit.SECONDS);
  }

  private Result tcp(int port, long timeoutMs) throws Exception {
    CompletableFuture<Result> r = new CompletableFuture<>();
    loop.execute(() -> SocketProbe.tcp(loop, port, timeoutMs, onLoop(r)));
    return r.get(20, TimeUnit.SECONDS);
  }

  /** Completes {@code r} once; a second report or one off the loop thread fails it. */
  private Consumer<Result> onLoop(CompletableFuture<Result> r) {
    return result -> {
      if (!loop.inLoop()) {
        r.completeExceptionally(new AssertionError("reported off the loop thread"));
      } else if (!r.complete(result)) {
        throw new AssertionError("reported twice");
      }
    };
  }

  /**
   * A server on 127.0.0.1 that reads each request's head (when there is one to read), records it, then hands the
   * connection's output to {@code respond}; the connection is closed after the response, left open if
   * {@code respond} writes nothing, and closed at once if it throws.
   */
  private int serve(Consumer<OutputStream> respond) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          accepted.add(s);
          String head = readHead(s.getInputStream());
          if (!head.isEmpty()) {
            requests.add(head);
          }
          ByteArrayOutputStream response = new ByteArrayOutputStream();
          try {
            respond.accept(response);
          } catch (UncheckedIOException e) {
            s.getOutputStream().write(response.toByteArray());
            s.close();
            continue;
          }
          if (response.size() > 0) {
            s.getOutputStream().write(response.toByteArray());
            s.close();
          }
        } catch (IOException e) {
          // closed by the test, or the client went away
        }
      }
    }, "test-server");
    t.setDaemon(true);
    t.start();
    return server.getLocalPort();
  }

  /** The request head up to its blank line; empty for a client that sends nothing (a tcp probe). */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
      head.append((char) c);
    }
    return head.toString();
  }

  private static void write(OutputStream out, String text) {
    try {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
