package io.shepherd.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny HTTP server on every port of a range, in one thread (one NIO selector), for the probe-cost benchmark: each
 * port a REGISTER_ONLY copy was given gets a real listening socket. Every request is read up to its blank line and
 * answered {@code HTTP/1.0 200} with a three-byte body, then the connection is closed, as {@code python3 -m
 * http.server} does (HTTP/1.0, no keep-alive). Every second it writes the number of requests answered so far to
 * {@code countFile}.
 *
 * <p>Arguments: {@code from to countFile}. Listens on 127.0.0.1 only; runs until killed.
 */
public final class HttpPortsMain {
  private static final byte[] RESPONSE = ("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
      + "Connection: close\r\n\r\nok\n").getBytes(StandardCharsets.US_ASCII);

  private HttpPortsMain() {}

  public static void main(String[] args) throws IOException {
    int from = Integer.parseInt(args[0]);
    int to = Integer.parseInt(args[1]);
    Path countFile = Path.of(args[2]);
    Selector selector = Selector.open();
    for (int port = from; port <= to; port++) {
      ServerSocketChannel server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress("127.0.0.1", port), 64);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    }
    AtomicLong answered = new AtomicLong();
    Thread writer = new Thread(() -> {
      while (true) {
        try {
          Files.writeString(countFile, Long.toString(answered.get()));
          Thread.sleep(1000);
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    }, "count-writer");
    writer.setDaemon(true);
    writer.start();
    System.out.println("listening on 127.0.0.1:" + from + ".." + to);
    while (true) {
      selector.select();
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        try {
          if (key.isAcceptable()) {
            SocketChannel c = ((ServerSocketChannel) key.channel()).accept();
            if (c != null) {
              c.configureBlocking(false);
              c.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(4096));
            }
          } else if (key.isReadable()) {
            SocketChannel c = (SocketChannel) key.channel();
            ByteBuffer in = (ByteBuffer) key.attachment();
            int n = c.read(in);
            if (n < 0 || !in.hasRemaining()) {
              c.close();
            } else if (headersEnd(in)) {
              c.write(ByteBuffer.wrap(RESPONSE));
              c.close();
              answered.incrementAndGet();
            }
          }
        } catch (IOException e) {
          key.channel().close();
        }
      }
    }
  }

  private static boolean headersEnd(ByteBuffer in) {
    int end = in.position();
    return end >= 4 && in.get(end - 4) == '\r' && in.get(end - 3) == '\n' && in.get(end - 2) == '\r'
        && in.get(end - 1) == '\n';
  }
}
