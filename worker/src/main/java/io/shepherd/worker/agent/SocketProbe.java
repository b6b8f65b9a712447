package io.shepherd.worker.agent;

import io.shepherd.worker.agent.ProbeTracker.Result;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One run of an http or tcp probe against 127.0.0.1, on the {@link ProbeLoop}'s thread: a non-blocking socket
 * registered with the loop's selector, a deadline on its timer queue, no thread and no future of its own.
 *
 * <p>tcp: passes once connected, then closes. http: a minimal HTTP/1.1 client — writes {@code GET <path> HTTP/1.1}
 * with {@code Host} and {@code Connection: close}, reads the status line, and passes on 200-399. The result is
 * reported as soon as the status line is read; the rest of the response (up to {@link #MAX_DRAIN} bytes) is read
 * and dropped until the server closes or the deadline, so that the server is not reset while it writes. Once the
 * server has closed, the probe's end of the connection is reset rather than closed (SO_LINGER 0): the server has
 * said all it will, and the reset spares the kernel the last exchange of the close and the server's side its
 * TIME_WAIT (docs/PERFORMANCE.md, benchmark 8). Every run reports exactly one result, within its timeout (give or
 * take the loop's timer).
 */
final class SocketProbe implements ProbeLoop.Handler {
  /** A status line longer than this is not one. */
  static final int MAX_STATUS_LINE = 1024;
  /** What is read of a response after its status line before the connection is closed anyway. */
  static final int MAX_DRAIN = 64 * 1024;
  private static final InetAddress LOOPBACK = loopback();

  private final ProbeLoop loop;
  private final int port;
  /** The request, or null for a tcp probe. */
  private final ByteBuffer request;
  private final String what;
  private final long timeoutMs;
  private final Consumer<Result> done;
  private SocketChannel channel;
  private SelectionKey key;
  private ProbeLoop.Timer deadline;
  private boolean connected;
  private boolean reported;
  private byte[] line;
  private int lineLength;
  private int drained;

  private SocketProbe(ProbeLoop loop, int port, ByteBuffer request, String what, long timeoutMs,
      Consumer<Result> done) {
    this.loop = loop;
    this.port = port;
    this.request = request;
    this.what = what;
    this.timeoutMs = timeoutMs;
    this.done = done;
  }

  /** GETs {@code path} on 127.0.0.1:{@code port}; reports to {@code done} on the loop thread. Loop thread only. */
  static void http(ProbeLoop loop, int port, String path, long timeoutMs, Consumer<Result> done) {
    String what = "GET http://127.0.0.1:" + port + path;
    if (!path.startsWith("/") || !path.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      done.accept(Result.fail(what + ": not a valid path"));
      return;
    }
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nUser-Agent: shepherd-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    new SocketProbe(loop, port, ByteBuffer.wrap(request), what, timeoutMs, done).start();
  }

  /** Connects to 127.0.0.1:{@code port}; reports to {@code done} on the loop thread. Loop thread only. */
  static void tcp(ProbeLoop loop, int port, long timeoutMs, Consumer<Result> done) {
    new SocketProbe(loop, port, null, "connect to 127.0.0.1:" + port, timeoutMs, done).start();
  }

  private void start() {
    try {
      channel = SocketChannel.open(StandardProtocolFamily.INET);
      channel.configureBlocking(false);
      deadline = loop.schedule(timeoutMs, this::timedOut);
      // On loopback the handshake is usually over by the time connect returns: no wait for the selector then.
      if (channel.connect(new InetSocketAddress(LOOPBACK, port)) || channel.finishConnect()) {
        connected();
      } else {
        key = loop.register(channel, SelectionKey.OP_CONNECT, this);
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  @Override
  public void ready(SelectionKey ready) {
    try {
      if (!connected) {
        if (channel.finishConnect()) {
          connected();
        }
      } else if (request != null && request.hasRemaining()) {
        write();
      } else {
        read();
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void connected() throws IOException {
    connected = true;
    if (request == null) {
      report(Result.pass("connected to 127.0.0.1:" + port));
      close();
      return;
    }
    write();
  }

  private void write() throws IOException {
    channel.write(request);
    int ops = request.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
    if (key == null) {
      key = loop.register(channel, ops, this);
    } else {
      key.interestOps(ops);
    }
  }

  /** Reads what there is; stops at end of stream, when nothing more is there, or once enough is drained. */
  private void read() throws IOException {
    while (channel.isOpen()) {
      ByteBuffer buffer = loop.readBuffer();
      int n = channel.read(buffer);
      if (n < 0) {
        if (!reported) {
          report(Result.fail(what + ": " + (lineLength == 0 ? "the connection was closed without a response"
              : "the connection was closed within the status line")));
        }
        reset();
        return;
      }
      if (n == 0) {
        return;
      }
      buffer.flip();
      if (!reported) {
        statusLine(buffer);
      }
      drained += buffer.remaining();
      if (reported && drained > MAX_DRAIN) {
        close();
        return;
      }
    }
  }

  /** Collects the status line from {@code buffer}, and reports once it is complete (or too long). */
  private void statusLine(ByteBuffer buffer) {
    if (line == null) {
      line = new byte[128];
    }
    while (buffer.hasRemaining()) {
      byte b = buffer.get();
      if (b == '\n') {
        int code = StatusLine.code(line, lineLength);
        if (code == StatusLine.INVALID) {
          report(Result.fail(what + ": not an HTTP response: " + printable(line, lineLength)));
        } else if (StatusLine.passes(code)) {
          report(Result.pass("status " + code));
        } else {
          report(Result.fail(what + ": status " + code));
        }
        return;
      }
      if (lineLength == MAX_STATUS_LINE) {
        report(Result.fail(what + ": not an HTTP response: no status line in the first " + MAX_STATUS_LINE
            + " bytes"));
        return;
      }
      if (lineLength == line.length) {
        line = Arrays.copyOf(line, Math.min(MAX_STATUS_LINE, line.length * 2));
      }
      line[lineLength++] = b;
    }
  }

  private void timedOut() {
    if (!reported) {
      report(Result.fail(request == null ? what + " timed out after " + timeoutMs + " ms"
          : what + ": " + (connected ? "timed out" : "connect timed out")));
    }
    close();
  }

  private void fail(IOException e) {
    if (!reported) {
      String why = e instanceof ConnectException ? "connection refused"
          : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      report(Result.fail(what + ": " + why));
    }
    close();
  }

  private void report(Result result) {
    reported = true;
    done.accept(result);
  }

  /** Closes a connection the server has closed: with a reset, as nothing more is to be said on it. */
  private void reset() {
    try {
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException e) {
      // Closed the ordinary way, then.
    }
    close();
  }

  private void close() {
    if (deadline != null) {
      deadline.cancel();
    }
    if (channel != null) {
      // On the loop thread: the selector drops the key and the descriptor at its next select.
      ProbeLoop.closeQuietly(channel);
    }
  }

  /** 127.0.0.1, whatever the JVM prefers (its loopback address may be ::1), as the messages say. */
  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String printable(byte[] bytes, int length) {
    int n = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
    String s = new String(bytes, 0, Math.min(n, 60), StandardCharsets.ISO_8859_1);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
