package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutState;
import io.shepherd.api.IntOrPercent;
import io.shepherd.api.RolloutPolicy;
import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.Expose;
import io.shepherd.api.Instance;
import io.shepherd.api.PortSpec;
import io.shepherd.api.Probe;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.RestartPolicy;
import io.shepherd.client.ConflictException;
import io.shepherd.client.ShepherdClient;
import io.shepherd.client.ValidationException;
import io.shepherd.server.testing.LoopbackPort;
import io.shepherd.server.testing.GatewayTraffic;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.gateway.Gateway;
import io.shepherd.worker.gateway.Target;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway end to end: real HTTP copies ({@code python3 -m http.server}) with an http readiness probe, spread
 * over two agents (the server's own on 127.0.0.1 and a second one whose gateway listens on 127.0.0.2), and clients
 * that only know one agent's address and the exposed port. Each test starts its own traffic, disturbs the copies
 * one way, and counts what the clients saw.
 */
class GatewayIT {
  private static final Path AGENT_DIR = LocalHttp.tempDir("shepherd-gateway-agent");
  private static final Path SERVED = LocalHttp.tempDir("shepherd-gateway-served");
  private static final String BODY = "served by a copy\n";
  private static final String NODE_B_GATEWAY = "127.0.0.2";
  private static final int EXPOSED = LoopbackPort.free();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR,
      ConfigOverride.config("agent.ports.from", "24100"),
      ConfigOverride.config("agent.ports.to", "24199"),
      ConfigOverride.config("agent.gateway.bindHost", "127.0.0.1"),
      ConfigOverride.config("agent.gateway.drainDelayMs", "300"));

  private static TestAgent nodeB;
  private ShepherdClient shepherd;

  @BeforeAll
  static void secondAgent() throws Exception {
    nodeB = new TestAgent(ZK.connectString(), "node-b", Files.createTempDirectory("shepherd-gateway-node-b"),
        b -> b.ports(new io.shepherd.worker.record.PortRange(24_200, 24_299))
            .gateway(io.shepherd.worker.gateway.GatewayConfig.DEFAULT.withBindHost(NODE_B_GATEWAY)
                .withDrainDelay(Duration.ofMillis(300))));
  }

  @AfterAll
  static void stopSecondAgent() throws Exception {
    nodeB.close();
  }

  @BeforeEach
  void client() throws IOException {
    Files.writeString(SERVED.resolve("hello.txt"), BODY);
    shepherd = ShepherdClient.builder().server(SERVER.baseUrl()).token(TestTokens.admin()).build();
    await().atMost(Duration.ofSeconds(30)).until(() -> shepherd.leader().leader().isPresent()
        && shepherd.nodes().size() == 2);
  }

  @AfterEach
  void deleteAndClose() {
    try {
      if (!shepherd.list().isEmpty()) {
        shepherd.list().forEach(s -> shepherd.delete(s.name()));
        await().atMost(Duration.ofSeconds(30)).until(() -> shepherd.list().isEmpty());
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> Processes.countDescendantsWith(SERVED.toString()) == 0);
    } finally {
      shepherd.close();
    }
  }

  private static ReplicaSetSpec web(int replicas) {
    return ReplicaSetSpec.of(replicas,
            List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1", "--directory", SERVED.toString()))
        .withPorts(List.of(new PortSpec("http")))
        .withEnv(Map.of("PYTHONUNBUFFERED", "1"))
        .withStopGraceMs(2_000)
        .withProbes(null, null, Probe.http("http", "/hello.txt").withTimings(0, 200, 1_000, 1, 1))
        .withExpose(new Expose(EXPOSED, "http"));
  }

  /** Waits until {@code copies} copies are ready and both agents' gateways forward to exactly them. */
  private List<Instance> awaitReady(int copies) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      List<Instance> ready = shepherd.instances("web");
      List<String> ids = ready.stream().map(Instance::id).sorted().toList();
      return ready.size() == copies && shepherd.instances("web", false).size() == copies
          && gatewayB().targets(EXPOSED).stream().map(Target::instanceId).toList().equals(ids);
    });
    return shepherd.instances("web");
  }

  private static Gateway gatewayB() {
    return nodeB.agent().gateway().orElseThrow();
  }

  @Test
  void bothAgentsServeTheSetAndNoRequestFailsWhileCopiesAreRestartedAndScaledDown() throws Exception {
    shepherd.apply("web", web(4));
    List<Instance> ready = awaitReady(4);
    // Spread over both nodes; each gateway forwards to copies anywhere, its own node's and the other's.
    assertThat(ready).extracting(Instance::node).contains("node-a", "node-b");
    assertThat(gatewayB().listening()).contains(EXPOSED);

    try (GatewayTraffic throughA = GatewayTraffic.start("127.0.0.1", EXPOSED, "/hello.txt", BODY, 2,
            Duration.ofMinutes(3));
        GatewayTraffic throughB = GatewayTraffic.start(NODE_B_GATEWAY, EXPOSED, "/hello.txt", BODY, 1,
            Duration.ofMinutes(3))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> throughA.succeeded() > 50 && throughB.succeeded() > 50);

      for (Instance copy : ready) {
        shepherd.restart("web", copy.id());
        await().atMost(Duration.ofSeconds(60)).until(() -> shepherd.instances("web").stream()
            .anyMatch(i -> i.id().equals(copy.id()) && i.pid() != copy.pid()));
        awaitReady(4);
      }
      shepherd.scale("web", 2);
      awaitReady(2);
      long before = throughA.succeeded();
      await().atMost(Duration.ofSeconds(30)).until(() -> throughA.succeeded() > before + 50);

      throughA.stop();
      throughB.stop();
      assertThat(throughA.failures()).isEmpty();
      assertThat(throughB.failures()).isEmpty();
      assertThat(throughA.failed() + throughB.failed()).isZero();
    }
  }

  @Test
  void noRequestFailsThroughARolloutOfEveryCopy() throws Exception {
    RolloutPolicy oneAtATime = new RolloutPolicy(IntOrPercent.of(1), IntOrPercent.of(0), null, null, null, null);
    shepherd.apply("web", web(4).withRollout(oneAtATime));
    List<Instance> before = awaitReady(4);

    try (GatewayTraffic traffic = GatewayTraffic.start("127.0.0.1", EXPOSED, "/hello.txt", BODY, 2,
        Duration.ofMinutes(3))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> traffic.succeeded() > 50);
      // A new template (an environment variable the copies do not read): every copy is replaced, one at a time.
      shepherd.apply("web", web(4).withRollout(oneAtATime).withEnv(Map.of("PYTHONUNBUFFERED", "1", "VERSION", "2")));
      // One read: the rollout of revision 1 is COMPLETE until the new one replaces it.
      await().atMost(Duration.ofSeconds(120)).until(() -> {
        Rollout r = shepherd.rollout("web");
        return r.toRevision() == 2 && r.state() == RolloutState.COMPLETE;
      });
      List<Instance> after = awaitReady(4);
      long settled = traffic.succeeded();
      await().atMost(Duration.ofSeconds(30)).until(() -> traffic.succeeded() > settled + 50);
      traffic.stop();

      assertThat(after).extracting(Instance::id).doesNotContainAnyElementsOf(
          before.stream().map(Instance::id).toList());
      assertThat(traffic.failures()).isEmpty();
      assertThat(traffic.failed()).isZero();
    }
  }

  @Test
  void fewerThanOneRequestInTwoHundredFailsWhileCopiesAreKilledEveryTwoHundredMilliseconds() throws Exception {
    // A killed copy is back (restarted in place, probed ready) within about a second here, so at five kills a
    // second about five copies are down at any time; a kill fails the requests in flight on its copy (nothing can
    // save those), so the share of failures falls with the number of copies serving.
    shepherd.apply("web", web(12)
        .withRestart(new RestartPolicy(1_000, 600_000L))
        .withCrashLoop(new CrashLoopPolicy(100L, 100L, 1_000L, 1_000L)));
    awaitReady(12);

    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger kills = new AtomicInteger();
    try (GatewayTraffic traffic = GatewayTraffic.start("127.0.0.1", EXPOSED, "/hello.txt", BODY, 2,
        Duration.ofMinutes(3))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> traffic.succeeded() > 50);
      killer.scheduleAtFixedRate(() -> {
        List<Instance> live = shepherd.instances("web", false);
        if (!live.isEmpty() && kills.get() < 40) {
          Processes.sigkill(live.get(ThreadLocalRandom.current().nextInt(live.size())).pid());
          kills.incrementAndGet();
        }
      }, 0, 200, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(90)).until(() -> kills.get() >= 40);
      killer.shutdownNow();
      awaitReady(12);
      traffic.stop();

      long total = traffic.succeeded() + traffic.failed();
      assertThat(total).isGreaterThan(200);
      assertThat(traffic.failed() * 200).as("failures %s of %s: %s", traffic.failed(), total, traffic.failures())
          .isLessThan(total);
    } finally {
      killer.shutdownNow();
    }
  }

  /**
   * A python3 copy whose {@code /slow} is held until a file {@code release} appears in the directory argv[2] (each
   * arrival leaves a file {@code arrived-PID-N} there); on SIGTERM it writes {@code terminated-PID}, stops accepting
   * and exits once the requests in flight are answered, as a server with a graceful stop does. Every answer is the
   * copy's pid.
   */
  private static final String HELD_SERVER = String.join("\n",
      "import itertools, os, signal, sys, threading, time",
      "from http.server import BaseHTTPRequestHandler, HTTPServer",
      "from socketserver import ThreadingMixIn",
      "port, hold, pid = int(sys.argv[1]), sys.argv[2], str(os.getpid())",
      "arrivals = itertools.count()",
      "class Server(ThreadingMixIn, HTTPServer):",
      "    daemon_threads = False",
      "class Handler(BaseHTTPRequestHandler):",
      "    def do_GET(self):",
      "        if self.path == '/slow':",
      "            open(os.path.join(hold, 'arrived-%s-%d' % (pid, next(arrivals))), 'w').close()",
      "            deadline = time.time() + 120",
      "            while not os.path.exists(os.path.join(hold, 'release')) and time.time() < deadline:",
      "                time.sleep(0.02)",
      "        body = (pid + '\\n').encode()",
      "        self.send_response(200)",
      "        self.send_header('Content-Length', str(len(body)))",
      "        self.end_headers()",
      "        self.wfile.write(body)",
      "    def log_message(self, *args):",
      "        pass",
      "server = Server(('127.0.0.1', port), Handler)",
      "def term(signum, frame):",
      "    open(os.path.join(hold, 'terminated-' + pid), 'w').close()",
      "    threading.Thread(target=server.shutdown).start()",
      "signal.signal(signal.SIGTERM, term)",
      "server.serve_forever()",
      "server.server_close()",
      "");

  @Test
  void aRequestInFlightOnACopyBeingRestartedIsAnsweredAndNewConnectionsGoToTheOtherCopy() throws Exception {
    heldRequestsAcrossAStop(true);
  }

  @Test
  void aRequestInFlightOnACopyStoppedByAScaleDownIsAnsweredAndNewConnectionsGoToTheOtherCopy() throws Exception {
    heldRequestsAcrossAStop(false);
  }

  /**
   * Two copies of {@link #HELD_SERVER}, held requests through the gateway on both, then one copy stopped: restarted
   * over REST, or by a scale-down to one. Its held requests are answered with 200 after its SIGTERM, while new
   * connections go to the other copy.
   */
  private void heldRequestsAcrossAStop(boolean restart) throws Exception {
    Path hold = Files.createTempDirectory(SERVED, "hold");
    Path script = SERVED.resolve("held_server.py");
    Files.writeString(script, HELD_SERVER);
    shepherd.apply("web", ReplicaSetSpec.of(2, List.of("python3", script.toString(), "${PORT}", hold.toString()))
        .withPorts(List.of(new PortSpec("http")))
        .withStopGraceMs(60_000)
        .withProbes(null, null, Probe.http("http", "/ready").withTimings(0, 200, 1_000, 1, 1))
        .withExpose(new Expose(EXPOSED, "http")));
    List<Instance> copies = awaitReady(2);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    try {
      // Held requests through the gateway, round robin, until both copies hold some.
      while (inFlight.size() < 4 || new HashSet<>(arrivals(hold)).size() < 2) {
        assertThat(inFlight).as("requests sent before both copies held one").hasSizeLessThan(12);
        inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EXPOSED + "/slow"))
            .timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofString()));
        int sent = inFlight.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> arrivals(hold).size() == sent);
      }

      long stopped;
      if (restart) {
        Instance chosen = copies.get(0);
        shepherd.restart("web", chosen.id());
        stopped = chosen.pid();
      } else {
        shepherd.scale("web", 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> terminated(hold).size() == 1);
        stopped = terminated(hold).get(0);
      }
      Instance victim = copies.stream().filter(c -> c.pid() == stopped).findFirst().orElseThrow();
      Instance other = copies.stream().filter(c -> c.pid() != stopped).findFirst().orElseThrow();

      // Drained (no longer a target of either gateway), then SIGTERM: its requests are still being answered.
      await().atMost(Duration.ofSeconds(30)).until(() -> terminated(hold).contains(stopped));
      assertThat(gatewayB().targets(EXPOSED)).extracting(Target::instanceId).containsExactly(other.id());
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> fresh = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + EXPOSED + "/fast")).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(fresh.body().strip()).as("a new connection goes to the other copy")
            .isEqualTo(Long.toString(other.pid()));
      }
      assertThat(inFlight).noneMatch(CompletableFuture::isDone);
      assertThat(Processes.alive(stopped)).as("the stopped copy is finishing what it answers").isTrue();

      Files.createFile(hold.resolve("release"));

      await().atMost(Duration.ofSeconds(60)).until(() -> inFlight.stream().allMatch(CompletableFuture::isDone));
      List<String> answeredBy = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> r : inFlight) {
        assertThat(r.get().statusCode()).isEqualTo(200);
        answeredBy.add(r.get().body().strip());
      }
      assertThat(answeredBy).as("the stopped copy answered what it held").contains(Long.toString(stopped));
      await().atMost(Duration.ofSeconds(30)).until(() -> !Processes.alive(stopped));
      if (restart) {
        await().atMost(Duration.ofSeconds(60)).until(() -> shepherd.instances("web").stream()
            .anyMatch(i -> i.id().equals(victim.id()) && i.pid() != stopped));
        awaitReady(2);
      } else {
        assertThat(awaitReady(1)).extracting(Instance::id).containsExactly(other.id());
      }
    } finally {
      if (!Files.exists(hold.resolve("release"))) {
        Files.createFile(hold.resolve("release"));
      }
    }
  }

  /** The pids of the copies holding requests, one entry per request. */
  private static List<String> arrivals(Path hold) throws IOException {
    return named(hold, "arrived-").stream().map(n -> n.split("-")[1]).toList();
  }

  /** The pids of the copies that got their SIGTERM. */
  private static List<Long> terminated(Path hold) throws IOException {
    return named(hold, "terminated-").stream().map(n -> Long.parseLong(n.substring("terminated-".length()))).toList();
  }

  private static List<String> named(Path dir, String prefix) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
    }
  }

  @Test
  void aPortIsExposedByOneSetAtATimeAndTheTargetMustBeOneOfItsPorts() {
    shepherd.apply("web", web(0));

    assertThatThrownBy(() -> shepherd.apply("other", web(0)))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.field()).hasValue("expose.port");
          assertThat(e.getMessage()).contains("web");
        });
    assertThatThrownBy(() -> shepherd.apply("other", web(0).withExpose(new Expose(EXPOSED + 1, "admin"))))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).hasValue("expose.targetPort"));
    assertThat(shepherd.list()).extracting(s -> s.name()).containsExactly("web");

    // Moving web to another port frees this one; deleting web frees that one.
    shepherd.apply("web", web(0).withExpose(new Expose(EXPOSED + 1, "http")));
    shepherd.apply("other", web(0));
    assertThatThrownBy(() -> shepherd.apply("third", web(0).withExpose(new Expose(EXPOSED + 1, "http"))))
        .isInstanceOf(ConflictException.class);
    shepherd.delete("web");
    shepherd.apply("third", web(0).withExpose(new Expose(EXPOSED + 1, "http")));
    await().atMost(Duration.ofSeconds(30)).until(() -> gatewayB().listening().containsAll(
        List.of(EXPOSED, EXPOSED + 1)));
  }

}
