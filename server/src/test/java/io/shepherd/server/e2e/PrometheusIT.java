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
 * The metrics as a real Prometheus (Debian's {@code prometheus}) scrapes them from two servers (one leads, the other
 * stands by) and from an agent in its own JVM: {@code promtool} finds nothing to lint, the ready count of a set is its
 * copies on both servers, one server leads and both report the same epoch, a SIGKILLed copy's restart shows in the
 * restart counter Prometheus stores, and a copy given back to the leader is counted and timed as rescheduled.
 */
class PrometheusIT {
  /** The copies' argv marker, unique to this class. */
  private static final String MARKER = "4313013";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  /** A second server of the same cluster: whichever of the two does not lead stands by. */
  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

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
    Api second = new Api(SECOND.baseUrl());
    await().atMost(PATIENCE).until(() -> api.leader().isLeader() != second.leader().isLeader()
        && api.nodes().stream().anyMatch(n -> n.id().equals("node-m") && n.logsUrl().isPresent()));
    Node node = api.nodes().stream().filter(n -> n.id().equals("node-m")).findFirst().orElseThrow();
    URI logs = URI.create(node.logsUrl().orElseThrow());
    agentMetrics = logs.resolve("/metrics");
    prometheus = PrometheusServer.start(List.of(
        new PrometheusServer.Target("shepherd-server",
            List.of("127.0.0.1:" + SERVER.port(), "127.0.0.1:" + SECOND.port()), Optional.of(serverTokenFile())),
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
        assertThat(prometheus.up("shepherd-server", 2)).as("both servers scraped").isTrue();
        assertThat(prometheus.up("shepherd-agent")).as("agent scraped").isTrue();
        for (String reported : List.of("shepherd_replicaset_ready", "shepherd_replicaset_desired")) {
          String series = reported + "{replicaset=\"scraped\"}";
          assertThat(prometheus.query("count(" + series + ")")).as("servers reporting " + series).hasValue(2);
          assertThat(prometheus.query("min(" + series + ")")).as(series + " on either server").hasValue(3);
          assertThat(prometheus.query("max(" + series + ")")).as(series + " on either server").hasValue(3);
        }
        assertThat(prometheus.query("shepherd_agent_copies{replicaset=\"scraped\"}")).hasValue(3);
      });
      assertThat(prometheus.query("count(up == 1)")).as("every target up").hasValue(3);
      assertThat(prometheus.query("sum(shepherd_controller_leader)")).as("one leader").hasValue(1);
      assertThat(prometheus.query("count(shepherd_controller_leader)")).hasValue(2);
      assertThat(prometheus.query("count(shepherd_controller_epoch)")).hasValue(2);
      assertThat(prometheus.query("max(shepherd_controller_epoch) - min(shepherd_controller_epoch)"))
          .as("the standby and the leader report the same epoch").hasValue(0);
      assertThat(prometheus.query("min(shepherd_controller_epoch) > 0")).as("an epoch, once led").isPresent();
      assertThat(prometheus.query("min(shepherd_nodes)")).hasValue(1);
      assertThat(prometheus.query("max(shepherd_nodes)")).hasValue(1);
      assertThat(prometheus.query("sum(shepherd_zookeeper_connected)")).hasValue(3);

      String server = scrape(URI.create(SERVER.baseUrl() + "/metrics"), Optional.of(viewerToken));
      String secondServer = scrape(URI.create(SECOND.baseUrl() + "/metrics"), Optional.of(viewerToken));
      String agentText = scrape(agentMetrics, Optional.empty());
      assertThat(server).contains("shepherd_replicaset_live{replicaset=\"scraped\"} 3")
          .contains("process_cpu_seconds_total").contains("jvm_memory_used_bytes");
      assertThat(agentText).contains("shepherd_agent_copies{replicaset=\"scraped\"} 3")
          .contains("process_cpu_seconds_total").contains("jvm_gc_collection_seconds");
      assertThat(secondServer).contains("shepherd_replicaset_live{replicaset=\"scraped\"} 3");
      for (String exposition : List.of(server, secondServer, agentText)) {
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
      awaitStored("min(shepherd_replicaset_ready{replicaset=\"killed\"})", 3);
      String restarts = "shepherd_copy_restarts_total{replicaset=\"killed\",scope=\"local\"}";
      String replacements = "shepherd_replacement_seconds_count{scope=\"local\"}";
      String restartEvents = "min(shepherd_events_total{type=\"instance_restarted\"})"; // both servers tell it
      double restartsBefore = stored(restarts);
      double replacementsBefore = stored(replacements);
      double eventsBefore = stored(restartEvents);
      Instance victim = api.instances("killed").get(0);

      Processes.sigkill(victim.pid());

      awaitStored(restarts, restartsBefore + 1);
      awaitStored(replacements, replacementsBefore + 1);
      awaitStored(restartEvents, eventsBefore + 1);
      awaitStored("min(shepherd_replicaset_ready{replicaset=\"killed\"})", 3);
      assertThat(api.instances("killed")).extracting(Instance::id).contains(victim.id());
      // The agent records the new pid just after starting the process, so the counters can be ahead of it.
      await().atMost(PATIENCE).untilAsserted(() ->
          assertThat(api.instances("killed")).extracting(Instance::pid).doesNotContain(victim.pid()));
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
      awaitStored("min(shepherd_replicaset_ready{replicaset=\"given\"})", 2);
      String rescheduled = "sum(shepherd_copy_restarts_total{replicaset=\"given\",scope=\"reschedule\"})";
      // Timed by the leader only; the standby's series stays at 0, so the sum is the leader's.
      String timed = "sum(shepherd_replacement_seconds_count{scope=\"reschedule\"})";
      double before = stored(rescheduled);
      double timedBefore = stored(timed);
      Instance victim = api.instances("given").get(0);

      Processes.sigkill(victim.pid());

      awaitStored(rescheduled, before + 1);
      awaitStored("min(shepherd_replicaset_ready{replicaset=\"given\"})", 2);
      awaitStored(timed, timedBefore + 1);
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
