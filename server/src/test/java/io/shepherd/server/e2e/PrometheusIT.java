package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.Node;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.RestartPolicy;
import io.shepherd.api.Role;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.AgentJvm;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.PrometheusServer;
import io.shepherd.server.testing.Promtool;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics as a real Prometheus (Debian's {@code prometheus}) scrapes them from a server and from an agent in its
 * own JVM: {@code promtool} finds nothing to lint, the ready count of a set is its copies, and a SIGKILLed copy's
 * restart shows in the restart counter Prometheus stores.
 */
class PrometheusIT {
  /** The copies' argv marker, unique to this class. */
  private static final String MARKER = "4313013";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static AgentJvm agent;
  private static PrometheusServer prometheus;
  private static URI agentMetrics;
  private static Api api;

  /** The secret of a viewer's token, made over REST with the tests' admin token: what Prometheus scrapes with. */
  private static String viewerToken;

  /** The file with the bearer token Prometheus sends to the servers, owner-only as a user would keep it. */
  private static Path serverTokenFile() throws Exception {
    Path file = Files.createTempFile("shepherd-prometheus", ".token",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    file.toFile().deleteOnExit();
    Files.writeString(file, viewerToken);
    return file;
  }

  @BeforeAll
  static void startAgentAndPrometheus() throws Exception {
    // Fail at once, naming what is missing, rather than after starting everything else.
    PrometheusServer.executable("prometheus");
    PrometheusServer.executable("promtool");
    agent = new AgentJvm(ZK.connectString(), "node-m", Files.createTempDirectory("shepherd-prometheus-agent"));
    api = new Api(SERVER.baseUrl());
    try (ShepherdClient admin = ShepherdClient.builder().server(SERVER.baseUrl()).token(TestTokens.admin()).build()) {
      viewerToken = admin.createToken("prometheus", Role.VIEWER).secret();
    }
    await().atMost(PATIENCE).until(() -> api.leader().isLeader()
        && api.nodes().stream().anyMatch(n -> n.id().equals("node-m") && n.logsUrl().isPresent()));
    Node node = api.nodes().stream().filter(n -> n.id().equals("node-m")).findFirst().orElseThrow();
    URI logs = URI.create(node.logsUrl().orElseThrow());
    agentMetrics = logs.resolve("/metrics");
    prometheus = PrometheusServer.start(List.of(
        new PrometheusServer.Target("shepherd-server", "127.0.0.1:" + SERVER.port(),
            Optional.of(serverTokenFile())),
        new PrometheusServer.Target("shepherd-agent", logs.getHost() + ":" + logs.getPort(), Optional.empty())));
  }

  @AfterAll
  static void stopPrometheusAndAgent() throws Exception {
    try {
      if (prometheus != null) {
        prometheus.close();
      }
    } finally {
      try {
        if (agent != null) {
          agent.close();
        }
      } finally {
        Processes.sigkillAllWith(MARKER);
      }
    }
  }

  private static String scrape(URI uri, Optional<String> token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).as("content type of %s", uri)
        .contains("text/plain; version=0.0.4; charset=utf-8");
    return r.body();
  }

  private static double stored(String promql) throws Exception {
    OptionalDouble v = prometheus.query(promql);
    return v.isPresent() ? v.getAsDouble() : 0;
  }

  private static void awaitStored(String promql, double atLeast) {
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(stored(promql)).as(promql).isGreaterThanOrEqualTo(atLeast));
  }

  @Test
  void prometheusScrapesServerAndAgentAndSeesEveryCopyReady() throws Exception {
    api.apply("scraped", ReplicaSetSpec.of(3, List.of("sleep", MARKER)).withStopGraceMs(1_000));
    try {
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(prometheus.up("shepherd-server")).as("server scraped").isTrue();
        assertThat(prometheus.up("shepherd-agent")).as("agent scraped").isTrue();
        assertThat(prometheus.query("shepherd_replicaset_ready{replicaset=\"scraped\"}")).hasValue(3);
        assertThat(prometheus.query("shepherd_replicaset_desired{replicaset=\"scraped\"}")).hasValue(3);
        assertThat(prometheus.query("shepherd_agent_copies{replicaset=\"scraped\"}")).hasValue(3);
      });
      assertThat(prometheus.query("shepherd_controller_leader{job=\"shepherd-server\"}")).hasValue(1);
      assertThat(prometheus.query("shepherd_nodes")).hasValue(1);
      assertThat(prometheus.query("sum(shepherd_zookeeper_connected)")).hasValue(2);

      String server = scrape(URI.create(SERVER.baseUrl() + "/metrics"), Optional.of(viewerToken));
      String agentText = scrape(agentMetrics, Optional.empty());
      assertThat(server).contains("shepherd_replicaset_live{replicaset=\"scraped\"} 3")
          .contains("process_cpu_seconds_total").contains("jvm_memory_used_bytes");
      assertThat(agentText).contains("shepherd_agent_copies{replicaset=\"scraped\"} 3")
          .contains("process_cpu_seconds_total").contains("jvm_gc_collection_seconds");
      for (String exposition : List.of(server, agentText)) {
        Promtool.Lint lint = Promtool.checkMetrics(exposition);
        assertThat(lint.output()).as("promtool check metrics").isEmpty();
        assertThat(lint.exitCode()).as("promtool check metrics: %s", lint.output()).isZero();
      }
    } finally {
      api.delete("scraped");
    }
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(prometheus.query("shepherd_replicaset_desired{replicaset=\"scraped\"}")).isEmpty());
  }

  @Test
  void aSigkilledCopyIsRestartedAndTheRestartCounterPrometheusStoresRises() throws Exception {
    api.apply("killed", ReplicaSetSpec.of(3, List.of("sleep", MARKER)).withStopGraceMs(1_000));
    try {
      awaitStored("shepherd_replicaset_ready{replicaset=\"killed\"}", 3);
      String restarts = "shepherd_copy_restarts_total{replicaset=\"killed\",scope=\"local\"}";
      String replacements = "shepherd_replacement_seconds_count{scope=\"local\"}";
      String restartEvents = "shepherd_events_total{type=\"instance_restarted\"}";
      double restartsBefore = stored(restarts);
      double replacementsBefore = stored(replacements);
      double eventsBefore = stored(restartEvents);
      Instance victim = api.instances("killed").get(0);

      Processes.sigkill(victim.pid());

      awaitStored(restarts, restartsBefore + 1);
      awaitStored(replacements, replacementsBefore + 1);
      awaitStored(restartEvents, eventsBefore + 1);
      awaitStored("shepherd_replicaset_ready{replicaset=\"killed\"}", 3);
      assertThat(api.instances("killed")).extracting(Instance::id).contains(victim.id());
      assertThat(api.instances("killed")).extracting(Instance::pid).doesNotContain(victim.pid());
    } finally {
      api.delete("killed");
    }
  }

  @Test
  void aCopyGivenBackToTheLeaderIsCountedAsRescheduledByTheLeader() throws Exception {
    // No restarts in place: an exit goes back to the leader at once, which replaces the copy.
    api.apply("given", ReplicaSetSpec.of(2, List.of("sleep", MARKER)).withStopGraceMs(1_000)
        .withRestart(new RestartPolicy(0, RestartPolicy.DEFAULT_WINDOW_MS)));
    try {
      awaitStored("shepherd_replicaset_ready{replicaset=\"given\"}", 2);
      String rescheduled = "shepherd_copy_restarts_total{replicaset=\"given\",scope=\"reschedule\"}";
      double before = stored(rescheduled);
      Instance victim = api.instances("given").get(0);

      Processes.sigkill(victim.pid());

      awaitStored(rescheduled, before + 1);
      awaitStored("shepherd_replicaset_ready{replicaset=\"given\"}", 2);
      assertThat(api.instances("given")).extracting(Instance::id).doesNotContain(victim.id());
      assertThat(prometheus.query("shepherd_copy_restarts_total{replicaset=\"given\",scope=\"local\"}"))
          .as("not restarted in place").isEmpty();
    } finally {
      api.delete("given");
    }
  }

  @Test
  void theExampleScrapeConfigIsOnePrometheusAccepts() throws Exception {
    Path example = Path.of("..", "conf", "examples", "prometheus.yml");
    Path dir = Files.createTempDirectory("shepherd-prometheus-example");
    Path token = Files.writeString(dir.resolve("viewer.token"), "a-token\n");
    // The token file the example names is the user's to create; here, one that exists.
    Path config = Files.writeString(dir.resolve("prometheus.yml"), Files.readString(example)
        .replace("/etc/prometheus/shepherd-viewer.token", token.toString()));
    assertThat(Files.readString(config)).contains("credentials_file: " + token);

    Promtool.Lint lint = Promtool.checkConfig(config);

    assertThat(lint.exitCode()).as("promtool check config: %s", lint.output()).isZero();
    assertThat(lint.output()).contains("SUCCESS");
  }
}
