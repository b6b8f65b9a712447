package io.shepherd.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for an agent's log server that misbehaves: it accepts connections and reads the request, then answers
 * as its {@link Mode} says and goes silent, keeping the connection open until {@link #close}.
 */
public final class StallingLogServer implements AutoCloseable {
  /** How far it answers before it goes silent. */
  public enum Mode {
    /** Not even the headers. */
    SILENT,
    /** The headers of a 1,000-byte body, then the first line of it. */
    MID_BODY,
    /** The headers of a chunked (followed) body, then one chunk with one line. */
    FOLLOWED
  }

  private final Mode mode;
  private final ServerSocket socket;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public StallingLogServer(Mode mode) throws IOException {
    this.mode = mode;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "stalling-log-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The base URL an agent advertises ({@code logsUrl} of its node record). */
  public String logsUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/logs";
  }

  /** How many requests it has been sent. */
  public int requests() {
    return accepted.size();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        accepted.add(s);
        answer(s);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void answer(Socket s) throws IOException {
    BufferedReader request = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    String line;
    do {
      line = request.readLine();
    } while (line != null && !line.isEmpty());
    OutputStream out = s.getOutputStream();
    switch (mode) {
      case SILENT -> { }
      case MID_BODY -> out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"
          + "first-line\n").getBytes(StandardCharsets.US_ASCII));
      case FOLLOWED -> out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "b\r\nfirst-line\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
  }

  @Override
  public void close() throws Exception {
    socket.close();
    for (Socket s : accepted) {
      s.close();
    }
    acceptor.join(5_000);
  }
}
