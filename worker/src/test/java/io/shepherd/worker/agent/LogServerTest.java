package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogServerTest {
  @TempDir
  Path dir;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final HttpClient http = HttpClient.newHttpClient();
  private LogFiles logs;
  private LogServer server;
  private final AgentMetrics metrics = new AgentMetrics(() -> List.of("web", "db", "web"), () -> true);

  @BeforeEach
  void setUp() throws Exception {
    logs = new LogFiles(dir, 1024 * 1024);
    server = new LogServer(LogServerConfig.loopbackEphemeral(), "ignored", logs,
        id -> id.equals("i1") && running.get(), 1024 * 1024, metrics::scrape);
    server.start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void append(String file, String text) throws Exception {
    Files.writeString(dir.resolve(file), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void itsBaseUrlIsTheLoopbackAddressAndItsPort() {
    assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/logs");
  }

  @Test
  void returnsTheWholeLogOrItsLastLines() throws Exception {
    append("i1.log", "a\nb\nc\n");

    assertThat(get("/i1").body()).isEqualTo("a\nb\nc\n");
    assertThat(get("/i1?tail=2").body()).isEqualTo("b\nc\n");
    assertThat(get("/i1?tail=0").body()).isEmpty();
    assertThat(get("/i1?tail=10").headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void theTailReachesIntoTheRotatedGeneration() throws Exception {
    append("i1.log.1", "x\ny\n");
    append("i1.log", "z");

    assertThat(get("/i1?tail=2").body()).isEqualTo("y\nz");
  }

  @Test
  void unknownInstancesAreNotFoundAndBadParametersAreNamed() throws Exception {
    append("i1.log", "a\n");

    assertThat(get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> badTail = get("/i1?tail=-1");
    assertThat(badTail.statusCode()).isEqualTo(400);
    assertThat(badTail.body()).contains("\"code\":400").contains("tail:");
    assertThat(get("/i1?tail=ten").statusCode()).isEqualTo(400);
    assertThat(get("/i1?follow=maybe").body()).contains("follow:");
    assertThat(get("/i1?tail=1e3").statusCode()).isEqualTo(400);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/i1"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void followingStreamsAppendedLinesAcrossARotationUntilTheCopyIsGone() throws Exception {
    append("i1.log", "old\nlast\n");
    HttpResponse<InputStream> response = http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/i1?tail=1&follow=true")).build(),
        HttpResponse.BodyHandlers.ofInputStream());

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        assertThat(in.readLine()).isEqualTo("last");
        append("i1.log", "appended\n");
        assertThat(in.readLine()).isEqualTo("appended");
        new LogFiles(dir, 1).rotateIfNeeded("i1");
        append("i1.log", "after rotation\n");
        assertThat(in.readLine()).isEqualTo("after rotation");
        append("i1.log", "final words\n");
        running.set(false);
        assertThat(in.readLine()).isEqualTo("final words");
        assertThat(in.readLine()).isNull();
      }
    });
  }

  private HttpResponse<String> getMetrics(String method) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
    return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheAgentsMetricsAsPrometheusTextVersion004() throws Exception {
    metrics.restartedInPlace("web", Duration.ofMillis(40));

    HttpResponse<String> response = getMetrics("GET");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains("# TYPE shepherd_agent_copies gauge")
        .contains("shepherd_agent_copies{replicaset=\"web\"} 2")
        .contains("shepherd_agent_copies{replicaset=\"db\"} 1")
        .contains("shepherd_zookeeper_connected 1")
        .contains("shepherd_copy_restarts_total{replicaset=\"web\",scope=\"local\"} 1")
        .contains("shepherd_replacement_seconds_bucket{scope=\"local\",le=\"0.05\"} 1")
        .contains("shepherd_probe_failures_total{kind=\"liveness\"} 0");
  }

  @Test
  void metricsAnswerOnlyGet() throws Exception {
    assertThat(getMetrics("POST").statusCode()).isEqualTo(405);
  }
}
