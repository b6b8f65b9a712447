package io.shepherd.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The copy benchmark 10 runs behind the gateway: the JDK's HTTP server on 127.0.0.1:{port} answering every GET with
 * a 17-byte body, keep-alive, TCP_NODELAY (start it with {@code -Dsun.net.httpserver.nodelay=true}), four threads.
 * Ends on SIGTERM.
 */
public final class HelloServer {
  private static final byte[] BODY = "served by a copy\n".getBytes(StandardCharsets.US_ASCII);

  private HelloServer() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, BODY.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(BODY);
      }
    });
    server.start();
  }
}
