package io.shepherd.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients sending plain HTTP/1.0 GETs through a gateway, one new TCP connection each (no client-side retry, no
 * pooling: every failure the gateway lets through is counted). Bounded: it stops by itself after {@code maxTime},
 * or when {@link #stop} is called.
 */
public final class GatewayTraffic implements AutoCloseable {
  private final String host;
  private final int port;
  private final String path;
  private final String expectedBody;
  private final ExecutorService clients;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  private GatewayTraffic(String host, int port, String path, String expectedBody, int concurrency) {
    this.host = host;
    this.port = port;
    this.path = path;
    this.expectedBody = expectedBody;
    this.clients = Executors.newFixedThreadPool(concurrency);
  }

  /** Starts {@code concurrency} clients asking {@code host:port} for {@code path}, expecting {@code expectedBody}. */
  public static GatewayTraffic start(String host, int port, String path, String expectedBody, int concurrency,
      Duration maxTime) {
    GatewayTraffic t = new GatewayTraffic(host, port, path, expectedBody, concurrency);
    Instant end = Instant.now().plus(maxTime);
    for (int i = 0; i < concurrency; i++) {
      t.clients.execute(() -> {
        while (t.running.get() && Instant.now().isBefore(end)) {
          t.once();
        }
      });
    }
    return t;
  }

  private void once() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      if (response.startsWith("HTTP/1.0 200") && response.endsWith("\r\n\r\n" + expectedBody)) {
        ok.incrementAndGet();
      } else {
        fail("unexpected response: " + response.lines().findFirst().orElse("(empty)"));
      }
    } catch (IOException e) {
      fail(e.toString());
    }
  }

  private void fail(String why) {
    failed.incrementAndGet();
    if (failures.size() < 20) {
      failures.add(Instant.now() + " " + why);
    }
  }

  public long succeeded() {
    return ok.get();
  }

  public long failed() {
    return failed.get();
  }

  /** The first failures, with when they happened. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops the clients and waits for their last requests. */
  public void stop() throws InterruptedException {
    running.set(false);
    clients.shutdown();
    clients.awaitTermination(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    clients.shutdownNow();
  }
}
