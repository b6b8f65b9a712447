package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.AgentTestKit.RS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.LocalRestartPolicy;
import io.shepherd.worker.record.ProbeRecord;
import io.shepherd.worker.record.Probes;
import io.shepherd.worker.record.RecordCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * The copy-facing local API with real python3 copies: each copy dumps the environment its agent gave it and relays
 * the test's requests to its agent ({@link CopyRelay}), so the test speaks to the agent as that copy, from that copy,
 * with its URL and token, or with another's.
 */
class LocalApiIT extends AgentKitBase {
  private static final String N1 = "n1";
  private static final String N2 = "n2";
  private static final Set<String> GIVEN = Set.of("SHEPHERD_TEST", "PORT", "PORT_HTTP", "SHEPHERD_REPLICA_SET",
      "SHEPHERD_INSTANCE_ID", "SHEPHERD_NODE", "SHEPHERD_AGENT_URL", "SHEPHERD_TOKEN");

  /**
   * The interpreter itself: a {@code python3} on the PATH may be a launcher script (pyenv's) that adds variables of
   * its own to the environment the test looks at.
   */
  private static final String PYTHON = realPython();

  private final HttpClient http = HttpClient.newHttpClient();

  /** What a copy was given: its environment. */
  record CopyEnv(Map<String, String> env) {
    String url() {
      return env.get("SHEPHERD_AGENT_URL");
    }

    String token() {
      return env.get("SHEPHERD_TOKEN");
    }

    int relayPort() {
      return Integer.parseInt(env.get("PORT"));
    }
  }

  @Test
  void aCopyGetsItsAgentsUrlAndATokenOfItsOwnAndNothingElseOfTheAgentsEnvironment() throws Exception {
    NodeAgent agent = kit.start(kit.config(N1).build());

    CopyEnv copy = start(N1, "i1", AgentTestKit.NO_LOCAL_RESTARTS);

    assertThat(copy.url()).isEqualTo(agent.logsUrl().orElseThrow().replace("/logs", ""));
    assertThat(java.util.Base64.getUrlDecoder().decode(copy.token())).hasSize(32);
    assertThat(copy.env()).containsEntry("SHEPHERD_TEST", "yes").containsEntry("SHEPHERD_INSTANCE_ID", "i1");
    assertThat(System.getenv().keySet()).as("this JVM has variables a copy must not inherit")
        .anyMatch(name -> !permitted(name));
    assertThat(copy.env().keySet()).allMatch(LocalApiIT::permitted);
  }

  @Test
  void selfNamesTheCopyOfTheTokenAndATokenIsGoodOnlyWhileItsCopyRuns() throws Exception {
    kit.start(kit.config(N1).build());
    CopyEnv one = start(N1, "i1", AgentTestKit.NO_LOCAL_RESTARTS);
    CopyEnv two = start(N1, "i2", AgentTestKit.NO_LOCAL_RESTARTS);

    JsonNode self = json(get(one, "/v1/self", 200));
    assertThat(self.get("instanceId").asText()).isEqualTo("i1");
    assertThat(self.get("replicaSet").asText()).isEqualTo(RS);
    assertThat(self.get("node").asText()).isEqualTo(N1);
    assertThat(self.get("ports").get("http").asInt()).isEqualTo(Integer.parseInt(one.env().get("PORT")));
    assertThat(self.get("revision").asInt()).isEqualTo(kit.assignment(N1, "i1").orElseThrow().revision());
    assertThat(json(get(two, "/v1/self", 200)).get("instanceId").asText()).isEqualTo("i2");
    assertThat(send(one, null, "/v1/self").statusCode()).isEqualTo(401);
    assertThat(send(one, "not-a-token", "/v1/leader").statusCode()).isEqualTo(401);

    kit.unassign(N1, "i2");

    await().until(() -> kit.instance("i2").isEmpty());
    await().until(() -> send(one, two.token(), "/v1/self").statusCode() == 401);
    assertThat(get(one, "/v1/self", 200)).isNotNull();
  }

  @Test
  void aCopyRestartedInPlaceKeepsItsToken() throws Exception {
    kit.start(kit.config(N1).build());
    LocalRestartPolicy restarts = new LocalRestartPolicy(3, 600_000L, 0L, 1_000L, 1_000L, 10_000L);
    CopyEnv before = start(N1, "i1", restarts);
    long pid = kit.assignment(N1, "i1").orElseThrow().pid();
    Files.delete(envFile("i1"));

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    CopyEnv after = awaitEnv("i1");
    // The new process writes its env file as it starts; its agent records its pid just after starting it.
    await().until(() -> kit.assignment(N1, "i1").orElseThrow().pid() != pid);
    assertThat(after.token()).isEqualTo(before.token());
    await().until(() -> send(after, after.token(), "/v1/self").statusCode() == 200);
  }

  @Test
  void aConfigLongPollWakesWhenAValueIsSetAndAnswersWithTheNewIndex() throws Exception {
    kit.start(kit.config(N1).build());
    CopyEnv copy = start(N1, "i1", AgentTestKit.NO_LOCAL_RESTARTS);
    HttpResponse<String> first = get(copy, "/v1/config", 200);
    long index = Long.parseLong(first.headers().firstValue(LocalApi.INDEX_HEADER).orElseThrow());
    assertThat(json(first).get("values").size()).isZero();
    HttpResponse<String> missing = send(copy, copy.token(), "/v1/config/background-color");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue(LocalApi.INDEX_HEADER)).contains(Long.toString(index));

    CompletableFuture<HttpResponse<String>> poll = sendAsync(copy, "/v1/config/background-color?wait=5m&index="
        + index);
    CompletableFuture<HttpResponse<String>> pollAll = sendAsync(copy, "/v1/config?wait=5m&index=" + index);
    setConfig("background-color", "#ccc");

    // Far less than the wait: only the change can have answered them.
    await().atMost(Duration.ofSeconds(30)).until(() -> poll.isDone() && pollAll.isDone());
    HttpResponse<String> woke = poll.get();
    assertThat(woke.statusCode()).isEqualTo(200);
    assertThat(json(woke).get("value").asText()).isEqualTo("#ccc");
    long newIndex = json(woke).get("index").asLong();
    assertThat(newIndex).isGreaterThan(index);
    assertThat(woke.headers().firstValue(LocalApi.INDEX_HEADER)).contains(Long.toString(newIndex));
    assertThat(json(pollAll.get()).get("values").get("background-color").asText()).isEqualTo("#ccc");
  }

  @Test
  void theLeaderAnswerIs503WhileTheAgentIsDisconnectedAndALongPollIsCutShort() throws Exception {
    kit.start(kit.config(N1).build());
    CopyEnv copy = start(N1, "i1", AgentTestKit.NO_LOCAL_RESTARTS);
    await().until(() -> isLeader(copy));
    long index = json(get(copy, "/v1/leader", 200)).get("index").asLong();
    CompletableFuture<HttpResponse<String>> poll = sendAsync(copy, "/v1/leader?wait=5m&index=" + index);

    kit.server.stop();

    await().atMost(Duration.ofSeconds(30)).until(poll::isDone);
    assertThat(poll.get().statusCode()).isEqualTo(503);
    assertThat(send(copy, copy.token(), "/v1/leader").statusCode()).isEqualTo(503);

    kit.server.restart();

    await().until(() -> isLeader(copy));
  }

  @Test
  void atMostOneCopyClaimsToLeadInEachTermAcrossALeaderKillAndASessionExpiry() throws Exception {
    kit.start(kit.config(N1).build());
    CuratorFramework secondSession = kit.newClient();
    kit.start(secondSession, kit.config(N2).build());
    CopyEnv one = start(N1, "i1", AgentTestKit.NO_LOCAL_RESTARTS);
    await().until(() -> isLeader(one));
    CopyEnv two = start(N1, "i2", AgentTestKit.NO_LOCAL_RESTARTS);
    CopyEnv three = start(N2, "i3", AgentTestKit.NO_LOCAL_RESTARTS);
    Map<Long, Set<String>> claims = new ConcurrentHashMap<>();
    ScheduledExecutorService pollers = Executors.newScheduledThreadPool(3);
    try {
      for (CopyEnv c : List.of(one, two, three)) {
        pollers.scheduleWithFixedDelay(() -> recordClaim(c, claims), 0, 10, TimeUnit.MILLISECONDS);
      }
      await().until(() -> claims.values().stream().anyMatch(s -> s.contains("i1")));
      JsonNode seenByThree = json(get(three, "/v1/leader", 200));
      assertThat(seenByThree.get("isLeader").asBoolean()).isFalse();
      assertThat(seenByThree.get("leader").asText()).isEqualTo("i1");

      ProcessHandle.of(kit.assignment(N1, "i1").orElseThrow().pid()).orElseThrow().destroyForcibly();

      await().until(() -> claims.values().stream().anyMatch(s -> s.contains("i2")));
      assertThat(json(get(three, "/v1/leader", 200)).get("leader").asText()).isEqualTo("i2");

      kit.agentClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

      await().until(() -> claims.values().stream().anyMatch(s -> s.contains("i3")));
    } finally {
      pollers.shutdownNow();
      pollers.awaitTermination(10, TimeUnit.SECONDS);
    }
    assertThat(claims).as("terms seen, each with who claimed to lead in it").hasSizeGreaterThanOrEqualTo(3);
    assertThat(claims.values()).allSatisfy(claimants -> assertThat(claimants).hasSize(1));
    List<Long> terms = claims.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(Map.Entry::getKey).toList();
    assertThat(terms.stream().map(t -> claims.get(t).iterator().next()).toList())
        .as("leaders in the order of their terms").containsExactly("i1", "i2", "i3");
  }

  @Test
  void aCopyThatPresentsAnotherLiveCopysTokenIsRefused403AndSoIsAProcessThatIsNoCopy() throws Exception {
    kit.start(kit.config(N1).build());
    CopyEnv one = start(N1, "i1", AgentTestKit.NO_LOCAL_RESTARTS);
    CopyEnv two = start(N1, "i2", AgentTestKit.NO_LOCAL_RESTARTS);

    for (String path : List.of("/v1/self", "/v1/leader", "/v1/config")) {
      HttpResponse<String> stolen = send(one, two.token(), path);
      assertThat(stolen.statusCode()).as("%s with i2's token from i1: %s", path, stolen.body()).isEqualTo(403);
      assertThat(json(stolen).get("message").asText())
          .contains("does not come from a process of the copy the token belongs to");
    }
    HttpResponse<String> fromTheTest = http.send(HttpRequest.newBuilder(URI.create(two.url() + "/v1/self"))
        .header("Authorization", "Bearer " + two.token()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(fromTheTest.statusCode()).as("from this JVM, no copy at all").isEqualTo(403);

    assertThat(json(get(two, "/v1/self", 200)).get("instanceId").asText()).isEqualTo("i2");
    assertThat(json(get(one, "/v1/self", 200)).get("instanceId").asText()).isEqualTo("i1");
  }

  @Test
  void aRequestFromAChildProcessOfTheCopyIsTheCopys() throws Exception {
    kit.start(kit.config(N1).build());
    // sh runs python as a child (not exec'd: a command follows), so the copy's process is the shell.
    CopyEnv copy = start(N1, "i1", List.of("sh", "-c", "\"$0\" -c \"$1\" \"$2\"; exit $?", PYTHON, CopyRelay.SCRIPT,
        envFile("i1").toString()), AgentTestKit.NO_LOCAL_RESTARTS);
    long shell = kit.assignment(N1, "i1").orElseThrow().pid();
    assertThat(ProcessHandle.of(shell).orElseThrow().children()).as("python runs under the shell").isNotEmpty();

    assertThat(json(get(copy, "/v1/self", 200)).get("instanceId").asText()).isEqualTo("i1");
  }

  @Test
  void aTokenOfACopyOnAnotherAgentIsRefused401ByThisOne() throws Exception {
    kit.start(kit.config(N1).build());
    kit.start(kit.newClient(), kit.config(N2).build());
    CopyEnv one = start(N1, "i1", AgentTestKit.NO_LOCAL_RESTARTS);
    CopyEnv three = start(N2, "i3", AgentTestKit.NO_LOCAL_RESTARTS);
    assertThat(one.url()).isNotEqualTo(three.url());

    HttpResponse<String> r = send(one, three.token(), "/v1/self");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(json(get(three, "/v1/self", 200)).get("node").asText()).isEqualTo(N2);
  }

  @Test
  void onlyReadyCopiesTakePartAndALeaderThatTurnsUnreadyHandsOverToAReadyCopy() throws Exception {
    kit.start(kit.config(N1).build());
    Files.createFile(readyFlag("i1"));
    CopyEnv one = startProbed(N1, "i1");
    await().until(() -> isLeader(one));
    CopyEnv two = startProbed(N1, "i2"); // its probe fails: no flag
    Files.createFile(readyFlag("i3"));
    CopyEnv three = startProbed(N1, "i3");
    await().until(() -> ready("i3"));
    Map<Long, Set<String>> claims = new ConcurrentHashMap<>();
    ScheduledExecutorService pollers = Executors.newScheduledThreadPool(3);
    try {
      for (CopyEnv c : List.of(one, two, three)) {
        pollers.scheduleWithFixedDelay(() -> recordClaim(c, claims), 0, 10, TimeUnit.MILLISECONDS);
      }
      JsonNode before = json(get(two, "/v1/leader", 200));
      assertThat(before.get("isLeader").asBoolean()).isFalse();
      assertThat(before.get("leader").asText()).isEqualTo("i1");
      long term = before.get("term").asLong();
      CompletableFuture<HttpResponse<String>> poll = sendAsync(three, "/v1/leader?wait=5m&index="
          + before.get("index").asLong());

      Files.delete(readyFlag("i1"));

      // Far less than the wait: only the change of leader can have answered it.
      await().atMost(Duration.ofSeconds(30)).until(poll::isDone);
      JsonNode woke = json(poll.get());
      assertThat(poll.get().statusCode()).isEqualTo(200);
      assertThat(woke.get("isLeader").asBoolean()).as("the ready copy leads, not the unready one").isTrue();
      assertThat(woke.get("leader").asText()).isEqualTo("i3");
      assertThat(woke.get("term").asLong()).isGreaterThan(term);
      assertThat(woke.get("index").asLong()).isGreaterThan(before.get("index").asLong());
      await().until(() -> claims.values().stream().anyMatch(s -> s.contains("i3")));
      await().until(() -> !isLeader(one));
      assertThat(ready("i1")).as("the old leader still runs, unready").isFalse();
      assertThat(json(get(two, "/v1/leader", 200)).get("leader").asText()).isEqualTo("i3");
    } finally {
      pollers.shutdownNow();
      pollers.awaitTermination(10, TimeUnit.SECONDS);
    }
    assertThat(ready("i2")).isFalse();
    assertThat(claims.values()).as("claims by term: %s", claims).allSatisfy(c -> assertThat(c).hasSize(1))
        .noneMatch(c -> c.contains("i2"));
    List<String> leaders = claims.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getValue().iterator().next()).toList();
    assertThat(leaders).as("leaders in the order of their terms").containsExactly("i1", "i3");
  }

  private void recordClaim(CopyEnv c, Map<Long, Set<String>> claims) {
    try {
      HttpResponse<String> r = send(c, c.token(), "/v1/leader");
      if (r.statusCode() == 200) {
        JsonNode body = json(r);
        if (body.get("isLeader").asBoolean()) {
          claims.computeIfAbsent(body.get("term").asLong(), t -> ConcurrentHashMap.newKeySet())
              .add(c.env().get("SHEPHERD_INSTANCE_ID"));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the copy is gone, or the agent closing: no claim
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean isLeader(CopyEnv c) throws Exception {
    HttpResponse<String> r = send(c, c.token(), "/v1/leader");
    return r.statusCode() == 200 && json(r).get("isLeader").asBoolean();
  }

  private CopyEnv start(String node, String id, LocalRestartPolicy restarts) throws Exception {
    return start(node, id, List.of(PYTHON, "-c", CopyRelay.SCRIPT, envFile(id).toString()), restarts);
  }

  private CopyEnv start(String node, String id, List<String> command, LocalRestartPolicy restarts) throws Exception {
    kit.assign(node, id, command, Map.of("http", freePort()), restarts);
    await().until(() -> kit.assignment(node, id).map(a -> a.state() == AssignmentState.RUNNING).orElse(false)
        && kit.instance(id).isPresent());
    kit.track(kit.assignment(node, id).orElseThrow().pid());
    return awaitEnv(id);
  }

  /** A copy whose readiness probe passes while its flag file exists. */
  private CopyEnv startProbed(String node, String id) throws Exception {
    ProbeRecord readiness = new ProbeRecord(new ProbeRecord.Exec(List.of("test", "-f", readyFlag(id).toString())),
        null, null, 0, 100, 1_000, 1, 1);
    kit.assign(node, id, List.of(PYTHON, "-c", CopyRelay.SCRIPT, envFile(id).toString()), 10_000,
        Map.of("http", freePort()), new Probes(null, null, readiness));
    await().until(() -> kit.assignment(node, id).map(a -> a.state() == AssignmentState.RUNNING).orElse(false)
        && kit.instance(id).isPresent());
    kit.track(kit.assignment(node, id).orElseThrow().pid());
    return awaitEnv(id);
  }

  private boolean ready(String id) throws Exception {
    return RecordCodec.read(kit.controller.getData().forPath(kit.layout.instance(RS, id)), InstanceRecord.class)
        .ready();
  }

  private Path readyFlag(String id) {
    return tmp.resolve(id + ".ready");
  }

  private CopyEnv awaitEnv(String id) throws IOException {
    Path file = envFile(id);
    await().until(() -> Files.exists(file));
    Map<String, String> env = new java.util.TreeMap<>();
    RecordCodec.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8)).fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return new CopyEnv(env);
  }

  private Path envFile(String id) {
    return tmp.resolve(id + ".env.json");
  }

  private void setConfig(String key, String value) throws Exception {
    kit.controller.create().orSetData().creatingParentContainersIfNeeded()
        .forPath(kit.layout.configValue(RS, key), value.getBytes(StandardCharsets.UTF_8));
  }

  private static String realPython() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
      String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor();
      return path.isEmpty() ? "python3" : path;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  private static boolean permitted(String name) {
    return GIVEN.contains(name) || CopyEnvironment.INHERITED.contains(name)
        || name.startsWith(CopyEnvironment.LOCALE_PREFIX);
  }

  private HttpResponse<String> get(CopyEnv c, String path, int expected) throws Exception {
    HttpResponse<String> r = send(c, c.token(), path);
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(expected);
    return r;
  }

  /** Asks the agent of {@code via} for {@code path} from {@code via}'s process, with {@code token} (null: none). */
  private HttpResponse<String> send(CopyEnv via, String token, String path) throws IOException, InterruptedException {
    return http.send(relayed(via, token, path), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> sendAsync(CopyEnv c, String path) {
    return http.sendAsync(relayed(c, c.token(), path), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest relayed(CopyEnv via, String token, String path) {
    return CopyRelay.request(via.relayPort(), token, path);
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return RecordCodec.mapper().readTree(r.body());
  }
}
