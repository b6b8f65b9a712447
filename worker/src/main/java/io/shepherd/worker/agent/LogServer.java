package io.shepherd.worker.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.shepherd.worker.metrics.Exposition;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;

/**
 * The agent's log server, on the JDK's HTTP server: {@code GET /logs/{instanceId}?tail=N&follow=true} answers
 * {@code text/plain}: the last N lines of the copy's log (reaching into the rotated generation if the live file has
 * fewer; by default the whole live file), and with {@code follow=true} then streams what is appended until the
 * copy is gone and its file drained, or the client goes away. 404 for an instance without a log, 400 for a bad
 * parameter, 405 for anything but GET; errors are {@code {"code": N, "message": "..."}}.
 *
 * <p>{@code /v1/} is the copy-facing local API ({@link LocalApi}), when the agent runs one. With TLS the local API is
 * served instead on a listener of its own, plain HTTP on loopback and an ephemeral port: copies run on this host,
 * hold no certificate the port would accept and are authenticated by their tokens.
 *
 * <p>{@code GET /metrics} answers the agent's Prometheus metrics in the text format, version 0.0.4.
 *
 * <p>A follower of a copy that writes nothing only notices that its client left when the copy ends (HTTP gives
 * a server no way to probe an idle connection without writing to it). Each request holds one thread.
 */
final class LogServer implements Closeable {
  static final String PATH = "/logs/";
  static final String METRICS_PATH = "/metrics";
  static final long MAX_TAIL_LINES = 1_000_000;
  static final Duration FOLLOW_POLL = Duration.ofMillis(100);
  private final LogServerConfig config;
  private final String advertisedHost;
  private final LogFiles logs;
  private final Predicate<String> running;
  private final long maxBytes;
  private final Supplier<MetricSnapshots> metrics;
  private final Optional<HttpHandler> localApi;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "shepherd-log-server");
    t.setDaemon(true);
    return t;
  });
  private HttpServer server;
  private HttpServer localServer;
  /** {@link #localUrl}, once started. */
  private String localUrl;

  static {
    // The JDK's HTTP server writes a response's headers and its body separately and, by default, without
    // TCP_NODELAY: Nagle's algorithm then holds the body until the client's delayed ACK, ~40 ms on Linux, on every
    // answer (a long poll woken by a change included). Read once, when the JDK's server first loads; an explicit
    // setting wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * @param advertisedHost the host put into {@link #baseUrl()} when binding to a wildcard address
   * @param running        whether an instance's copy still runs (following stops once it does not)
   * @param maxBytes       how far back from a file's end a request reads at most
   * @param metrics        what {@code /metrics} serves, scraped at each request
   */
  LogServer(LogServerConfig config, String advertisedHost, LogFiles logs, Predicate<String> running,
      long maxBytes, Supplier<MetricSnapshots> metrics) {
    this(config, advertisedHost, logs, running, maxBytes, metrics, Optional.empty());
  }

  /** @param localApi what serves {@code /v1/}: the copy-facing local API */
  LogServer(LogServerConfig config, String advertisedHost, LogFiles logs, Predicate<String> running,
      long maxBytes, Supplier<MetricSnapshots> metrics, Optional<HttpHandler> localApi) {
    this.localApi = localApi;
    this.config = config;
    this.advertisedHost = advertisedHost;
    this.logs = logs;
    this.running = running;
    this.maxBytes = maxBytes;
    this.metrics = metrics;
  }

  /** Binds and starts serving. */
  synchronized void start() throws IOException {
    InetSocketAddress address = new InetSocketAddress(config.bindHost(), config.port());
    if (config.tls().isPresent()) {
      LogServerConfig.Tls tls = config.tls().get();
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.context()) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = tls.context().getDefaultSSLParameters();
          p.setNeedClientAuth(tls.requireClientCertificate());
          params.setSSLParameters(p);
        }
      });
      server = https;
    } else {
      server = HttpServer.create(address, 0);
    }
    server.createContext(PATH, this::handle);
    server.createContext(METRICS_PATH, this::handleMetrics);
    server.setExecutor(threads);
    if (localApi.isPresent() && config.tls().isPresent()) {
      localServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      localServer.createContext(LocalApi.PATH, localApi.get());
      localServer.setExecutor(threads);
      localServer.start();
    } else {
      localApi.ifPresent(h -> server.createContext(LocalApi.PATH, h));
    }
    server.start();
    localUrl = boundLocalUrl();
  }

  synchronized boolean isStarted() {
    return server != null;
  }

  /** The port it listens on (the chosen one if the configured port was 0). */
  synchronized int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port/logs} ({@code https://} with TLS): append {@code /{instanceId}}. */
  synchronized String baseUrl() {
    InetAddress bound = server.getAddress().getAddress();
    String host = bound.isAnyLocalAddress() ? advertisedHost : bound.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    String scheme = config.tls().isPresent() ? "https://" : "http://";
    return scheme + host + ":" + port() + PATH.substring(0, PATH.length() - 1);
  }

  /**
   * Where the agent's own copies reach the local API ({@code http://host:port}): with TLS its own loopback listener;
   * else this port, on loopback when bound to a wildcard address (copies run on this host), else the bound address.
   * Known from the start: every copy's start asks for it, a restart in place on its way to the new process.
   */
  synchronized String localUrl() {
    return localUrl;
  }

  private String boundLocalUrl() {
    if (localServer != null) {
      return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + localServer.getAddress().getPort();
    }
    InetAddress bound = server.getAddress().getAddress();
    String host = bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress()
        : bound.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        error(exchange, 405, "only GET is supported");
        return;
      }
      String id = exchange.getRequestURI().getPath().substring(PATH.length());
      Optional<Path> live = logs.live(id);
      if (live.isEmpty() || !(Files.exists(live.get()) || running.test(id))) {
        error(exchange, 404, "no log for instance " + id);
        return;
      }
      Optional<Long> tail;
      boolean follow;
      try {
        Map<String, String> query = QueryString.parse(exchange.getRequestURI().getRawQuery());
        tail = tail(query.get("tail"));
        follow = follow(query.get("follow"));
      } catch (IllegalArgumentException e) {
        error(exchange, 400, e.getMessage());
        return;
      }
      serve(exchange, id, live.get(), tail, follow);
    }
  }

  private void handleMetrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(METRICS_PATH)) {
        error(exchange, 404, "no such path: " + exchange.getRequestURI().getPath());
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        error(exchange, 405, "only GET is supported");
        return;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      Exposition.write(body, metrics.get());
      exchange.getResponseHeaders().set("Content-Type", Exposition.CONTENT_TYPE);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, body.size() == 0 ? -1 : body.size());
      body.writeTo(exchange.getResponseBody());
    }
  }

  private void serve(HttpExchange exchange, String id, Path live, Optional<Long> tail, boolean follow)
      throws IOException {
    Path rotated = logs.rotatedOf(id);
    long end = LogTail.size(live);
    long start = tail.isPresent() ? LogTail.startOfLastLines(live, tail.get(), maxBytes) : Math.max(0, end - maxBytes);
    long fromRotated = -1;
    if (tail.isPresent() && start == 0 && Files.exists(rotated)) {
      long liveLines = countLines(live, end);
      if (liveLines < tail.get()) {
        fromRotated = LogTail.startOfLastLines(rotated, tail.get() - liveLines, maxBytes);
      }
    }
    long rotatedEnd = fromRotated < 0 ? 0 : LogTail.size(rotated);
    long length = (rotatedEnd - Math.max(fromRotated, 0)) + (end - start);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(200, follow ? 0 : (length == 0 ? -1 : length));
    OutputStream out = exchange.getResponseBody();
    if (fromRotated >= 0) {
      LogTail.copy(rotated, fromRotated, rotatedEnd, out);
    }
    LogTail.copy(live, start, end, out);
    out.flush();
    if (follow) {
      follow(id, live, rotated, end, out);
    }
  }

  private void follow(String id, Path live, Path rotated, long from, OutputStream out) throws IOException {
    long pos = from;
    while (true) {
      boolean alive = running.test(id);
      long size = LogTail.size(live);
      if (size < pos) {
        // Rotated under us: what we had not sent yet is at the end of the rotated generation.
        LogTail.copy(rotated, pos, LogTail.size(rotated), out);
        pos = 0;
      }
      if (size > pos) {
        pos += LogTail.copy(live, pos, size, out);
        out.flush();
      } else if (!alive) {
        return;
      }
      try {
        Thread.sleep(FOLLOW_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private long countLines(Path file, long end) throws IOException {
    long start = Math.max(0, end - maxBytes);
    long lines = 0;
    int last = '\n';
    try (var in = Files.newInputStream(file)) {
      in.skipNBytes(start);
      byte[] buf = new byte[64 * 1024];
      long left = end - start;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines++;
          }
        }
        last = buf[n - 1];
        left -= n;
      }
    }
    return last != '\n' ? lines + 1 : lines;
  }

  private static Optional<Long> tail(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(value);
      if (n >= 0 && n <= MAX_TAIL_LINES) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below, with the parameter's name
    }
    throw new IllegalArgumentException("tail: must be a whole number of lines within 0.." + MAX_TAIL_LINES
        + ", got '" + value + "'");
  }

  private static boolean follow(String value) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw new IllegalArgumentException("follow: must be true or false, got '" + value + "'");
  }

  private static void error(HttpExchange exchange, int code, String message) throws IOException {
    AgentJson.error(exchange, code, message);
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
    }
    if (localServer != null) {
      localServer.stop(0);
    }
    threads.shutdownNow();
  }
}
