package io.shepherd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.BooleanSupplier;

/** Small helpers every benchmark uses: where things are, ports, waiting, HTTP, the machine's load. */
final class Bench {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Bench() {}

  /** The checkout: {@code -Dshepherd.home}, else the working directory. */
  static Path home() {
    return Path.of(System.getProperty("shepherd.home", ".")).toAbsolutePath().normalize();
  }

  static Path serverJar() {
    return existing(home().resolve("server/target/shepherd-server.jar"));
  }

  static Path workerJar() {
    return existing(home().resolve("worker/target/shepherd-worker.jar"));
  }

  /** The jar this benchmark runs from: the JVMs it starts from the bench jar run the same code. */
  static Path benchJar() {
    try {
      Path self = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(self) ? self : existing(home().resolve("bench/target/shepherd-bench.jar"));
    } catch (java.net.URISyntaxException e) {
      return existing(home().resolve("bench/target/shepherd-bench.jar"));
    }
  }

  private static Path existing(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is missing: build with mvn -q -B package -DskipTests");
    }
    return p;
  }

  /** A directory for this run's data and logs: {@code -Dbench.dir}, else a new temporary one. */
  static Path workDir(String name) throws IOException {
    String dir = System.getProperty("bench.dir");
    Path p = dir == null ? Files.createTempDirectory("shepherd-" + name + "-") : Path.of(dir).toAbsolutePath();
    Files.createDirectories(p);
    return p;
  }

  /**
   * The Python interpreter the http copies run: {@code -Dpython}, else Debian's {@code /usr/bin/python3} when it
   * exists (a {@code python3} found on PATH may be a wrapper such as pyenv's shim, a shell script that runs ~100 ms
   * before the interpreter), else {@code python3}.
   */
  static String python() {
    String p = System.getProperty("python");
    if (p != null) {
      return p;
    }
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int intArg(String name, int fallback) {
    return Integer.getInteger(name, fallback);
  }

  /** Waits until {@code condition} holds, polling every {@code pollMs}; fails after {@code timeout}. */
  static void await(String what, Duration timeout, long pollMs, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(pollMs);
    }
  }

  /** How many times {@code needle} occurs in {@code text}, overlapping occurrences included. */
  static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  static void log(String format, Object... args) {
    System.out.printf("%s  %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")),
        String.format(java.util.Locale.ROOT, format, args));
    System.out.flush();
  }

  /** The 1, 5 and 15 minute load averages. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** The API token the REST helpers send, once a server has made one ({@link ServerProcess#awaitUp}). */
  private static volatile String token;

  static void useToken(String secret) {
    token = secret;
  }

  static boolean hasToken() {
    return token != null;
  }

  /** The API token's secret (the run's admin token), for a client that sends it itself: a browser page. */
  static String token() {
    if (token == null) {
      throw new IllegalStateException("no API token yet: start a server and await it first");
    }
    return token;
  }

  /** {@code Authorization} header value: {@code Bearer <token>}. */
  static String authorization() {
    if (token == null) {
      throw new IllegalStateException("no API token yet: start a server and await it first");
    }
    return "Bearer " + token;
  }

  /** A GET; the status and body, or status -1 when the connection fails. */
  static HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET());
  }

  static HttpResponse<String> put(String url, String json) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  static HttpResponse<String> delete(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).DELETE());
  }

  private static HttpResponse<String> send(HttpRequest.Builder builder) {
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static boolean ok(HttpResponse<String> r) {
    return r != null && r.statusCode() / 100 == 2;
  }
}
