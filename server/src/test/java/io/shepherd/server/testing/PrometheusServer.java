package io.shepherd.server.testing;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on a free loopback port, with a generated scrape config and
 * storage of its own in a temporary directory. {@link #close()} stops it (SIGTERM, then SIGKILL) whatever happened.
 */
public final class PrometheusServer implements AutoCloseable {
  /** How often it scrapes: often, so that tests wait little. */
  public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One scrape job.
   *
   * @param job       the job's name
   * @param hostPorts its targets, each {@code 127.0.0.1:port}
   * @param tokenFile a file holding the bearer token Prometheus sends, if the targets want one
   */
  public record Target(String job, List<String> hostPorts, Optional<Path> tokenFile) {
    public Target {
      hostPorts = List.copyOf(hostPorts);
    }

    /** A job of one target. */
    public Target(String job, String hostPort, Optional<Path> tokenFile) {
      this(job, List.of(hostPort), tokenFile);
    }
  }

  private final Process process;
  private final int port;
  private final Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** The program, from the PATH; a test that needs it fails (not skips) without it: CI installs it. */
  public static Path executable(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail("'" + name + "' is not installed (Debian: apt-get install prometheus, as .ci/run does): the "
        + "metrics are tested against a real Prometheus");
  }

  /** The scrape config for {@code targets}, as a user would write it (conf/examples/prometheus.yml). */
  public static String scrapeConfig(List<Target> targets) {
    StringBuilder yaml = new StringBuilder()
        .append("global:\n")
        .append("  scrape_interval: ").append(SCRAPE_INTERVAL.toMillis()).append("ms\n")
        .append("  scrape_timeout: ").append(SCRAPE_INTERVAL.toMillis()).append("ms\n")
        .append("scrape_configs:\n");
    for (Target t : targets) {
      yaml.append("  - job_name: ").append(t.job()).append('\n')
          .append("    metrics_path: /metrics\n");
      t.tokenFile().ifPresent(file -> yaml.append("    authorization:\n")
          .append("      type: Bearer\n")
          .append("      credentials_file: '").append(file).append("'\n"));
      yaml.append("    static_configs:\n")
          .append("      - targets: [")
          .append(String.join(", ", t.hostPorts().stream().map(h -> "'" + h + "'").toList()))
          .append("]\n");
    }
    return yaml.toString();
  }

  /** Starts Prometheus scraping {@code targets} and waits until it is ready. */
  public static PrometheusServer start(List<Target> targets) throws Exception {
    Path program = executable("prometheus");
    Path dir = Files.createTempDirectory("shepherd-prometheus");
    Path config = Files.writeString(dir.resolve("prometheus.yml"), scrapeConfig(targets));
    int port = LoopbackPort.free();
    Process process = new ProcessBuilder(List.of(program.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn"))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
    PrometheusServer server = new PrometheusServer(process, port, dir);
    try {
      server.awaitReady(Duration.ofSeconds(60));
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("prometheus exited with " + process.exitValue() + ": " + log());
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      process.waitFor(100, TimeUnit.MILLISECONDS); // returns at once if it exits
    }
    fail("prometheus was not ready within " + timeout + ": " + log());
  }

  /**
   * The value of an instant query whose result is one sample, or empty when it has none (no such series yet).
   * More than one sample is a mistake in the query.
   */
  public OptionalDouble query(String promql) throws Exception {
    HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new AssertionError("query " + promql + " failed: " + response.statusCode() + " " + response.body());
    }
    JsonNode result = body.path("data").path("result");
    if (result.isEmpty()) {
      return OptionalDouble.empty();
    }
    if (result.size() > 1) {
      throw new AssertionError("query " + promql + " has " + result.size() + " samples: " + result);
    }
    return OptionalDouble.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
  }

  /** Whether Prometheus' last scrape of every target of {@code job} succeeded, and it has {@code targets} of them. */
  public boolean up(String job, int targets) throws Exception {
    String up = "up{job=\"" + job + "\"}";
    return query("count(" + up + ")").equals(OptionalDouble.of(targets))
        && query("count(" + up + " == 1)").equals(OptionalDouble.of(targets));
  }

  /** Whether Prometheus' last scrape of {@code job}, a job of one target, succeeded. */
  public boolean up(String job) throws Exception {
    return up(job, 1);
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(5)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** What Prometheus logged, for failure messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
