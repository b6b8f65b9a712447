package io.shepherd.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on 127.0.0.1 in front of one ZooKeeper server, so that one client can be partitioned from it while
 * every other client stays connected. {@link #cut()} drops every connection and refuses new ones (each is accepted
 * and closed at once, as a firewall rejecting the SYN-ACK would look to the client); {@link #heal()} lets them
 * through again.
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tcp-proxy");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean cut;
  private volatile boolean closed;

  /** A proxy to {@code hostAndPort} ("127.0.0.1:2181"), listening at once. */
  public TcpProxy(String hostAndPort) throws IOException {
    int colon = hostAndPort.lastIndexOf(':');
    this.target = new InetSocketAddress(hostAndPort.substring(0, colon),
        Integer.parseInt(hostAndPort.substring(colon + 1)));
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  /** The address to give the client instead of the server's. */
  public String connectString() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** Drops every connection and refuses new ones until {@link #heal()}. */
  public void cut() {
    cut = true;
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  public void heal() {
    cut = false;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket(target.getAddress(), target.getPort());
        open.add(client);
        open.add(server);
        threads.execute(() -> pump(client, server));
        threads.execute(() -> pump(server, client));
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (SocketException e) {
      // cut, or the other side closed
    } catch (IOException e) {
      // the same: either way both sides are closed below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    cut();
    listener.close();
    threads.shutdownNow();
  }
}
