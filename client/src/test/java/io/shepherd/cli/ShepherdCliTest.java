package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.Role;
import io.shepherd.api.WhoAmI;
import io.shepherd.api.ConfigValue;
import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.Instance;
import io.shepherd.api.LeaderInfo;
import io.shepherd.api.Node;
import io.shepherd.api.PortSpec;
import io.shepherd.api.RefusedPort;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.ShepherdJson;
import io.shepherd.fake.FakeShepherdServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each verb of {@code shepherd} but apply: its table and JSON output and its exit code, against a fake server. */
class ShepherdCliTest {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(3, List.of("python3", "-m", "http.server", "8080"));

  private FakeShepherdServer server;

  @BeforeEach
  void start() throws IOException {
    server = FakeShepherdServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CliRun shepherd(String... args) {
    return CliRun.run(Map.of("SHEPHERD_SERVERS", server.url()), "", args);
  }

  private static void assertNoStackTrace(CliRun run) {
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void getListsTheSetsInAnAlignedTableOrAsJson() throws IOException {
    server.store().seed("web", WEB);
    server.store().seed("worker", ReplicaSetSpec.of(1, List.of("worker")));

    CliRun table = shepherd("get");
    CliRun json = shepherd("get", "-o", "json");

    assertThat(table.exit()).isZero();
    assertThat(table.out()).isEqualTo("""
        NAME    DESIRED  LIVE  READY  PENDING  VERSION  STATE
        web     3        3     3      0        1        ready
        worker  1        1     1      0        1        ready
        """);
    assertThat(JSON.readValue(json.out(), new TypeReference<List<ReplicaSetSummary>>() {}))
        .extracting(ReplicaSetSummary::name).containsExactly("web", "worker");
  }

  @Test
  void getWithNoSetsSaysSoOnStandardError() {
    CliRun run = shepherd("get");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("no replica sets\n");
  }

  @Test
  void getNameShowsTheSpecAndTheInstances() throws IOException {
    server.store().seed("web", WEB);

    CliRun run = shepherd("get", "web");
    CliRun json = shepherd("get", "web", "-o", "json");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains(
        "Name:              web\n",
        "Version:           1\n",
        "State:             ready\n",
        "Replicas:          3 desired, 3 live, 3 ready, 0 pending\n",
        "Command:           python3 -m http.server 8080\n",
        "Ports:             -\n",
        "Exposed:           -\n",
        "Probes:            -\n",
        "Local restarts:    10 within 600000 ms\n",
        "INSTANCE  READY  NODE    HOST       PID   STARTED               SPEC VERSION  PORTS  RESTARTS\n",
        "web-1     yes    node-1  127.0.0.1  4001  2024-05-01T12:00:01Z  1             -      0\n");
    assertThat(JSON.readValue(json.out(), ReplicaSetStatus.class).instances()).hasSize(3);
  }

  @Test
  void getNameShowsEachCopysPorts() throws IOException {
    server.store().seed("web", ReplicaSetSpec.of(2, List.of("python3", "-m", "http.server", "${PORT}"))
        .withPorts(List.of(new PortSpec("http"), new PortSpec("admin")))
        .withExpose(new io.shepherd.api.Expose(9000, "http")));

    CliRun run = shepherd("get", "web");
    CliRun json = shepherd("instances", "web", "-o", "json");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains(
        "Ports:             http,admin\n",
        "Exposed:           port 9000 of every agent -> http\n",
        "INSTANCE  READY  NODE    HOST       PID   STARTED               SPEC VERSION  PORTS                   RESTARTS\n",
        "web-1     yes    node-1  127.0.0.1  4001  2024-05-01T12:00:01Z  1             http=20010,admin=20011  0\n",
        "web-2     yes    node-1  127.0.0.1  4002  2024-05-01T12:00:02Z  1             http=20020,admin=20021  0\n");
    assertThat(JSON.readValue(json.out(), new TypeReference<List<Instance>>() {}))
        .extracting(Instance::ports).containsExactly(Map.of("http", 20_010, "admin", 20_011),
            Map.of("http", 20_020, "admin", 20_021));
  }

  @Test
  void getNameShowsTheProbesAndHowManyCopiesAreReady() throws IOException {
    server.store().seed("web", ReplicaSetSpec.of(2, List.of("python3", "-m", "http.server", "${PORT}"))
        .withPorts(List.of(new PortSpec("http")))
        .withProbes(null, io.shepherd.api.Probe.tcp("http"),
            io.shepherd.api.Probe.http("http", "/healthz").withTimings(0, 2_000, 500, 3, 1)));
    server.store().setReady("web", "web-1", false);

    CliRun run = shepherd("get", "web");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains(
        "Replicas:          2 desired, 2 live, 1 ready, 0 pending\n",
        "Probes:            liveness tcp http every 10000 ms; readiness http http:/healthz every 2000 ms\n",
        "web-1     no     node-1");
  }

  @Test
  void getOfAMissingSetExitsWith1() {
    CliRun run = shepherd("get", "ghost");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("shepherd: replica set ghost does not exist\n");
  }

  @Test
  void scaleSetsTheCount() throws IOException {
    server.store().seed("web", WEB);

    CliRun run = shepherd("scale", "web", "5");
    CliRun json = shepherd("-o", "json", "scale", "web", "2");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("replicaset/web scaled to 5 (version 2)\n");
    assertThat(JSON.readValue(json.out(), ReplicaSetStatus.class).desired()).isEqualTo(2);
    assertThat(server.requests().get(0).body()).isEqualTo("{\"replicas\":5}");
  }

  @Test
  void scaleToAnImpossibleCountIsRefusedLocally() {
    CliRun run = shepherd("scale", "web", "20000");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("shepherd: replicas (N): must be between 0 and 10000\n");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void deleteReturnsAtOnceOrWaitsUntilTheSetIsGonePrintingItsProgressAsPlainLinesOffATerminal() throws IOException {
    server.store().seed("web", WEB);
    server.store().seed("worker", WEB);

    CliRun quick = shepherd("delete", "web");
    CliRun waiting = shepherd("delete", "worker", "--wait");

    assertThat(quick.exit()).isZero();
    assertThat(quick.out()).isEqualTo("replicaset/web deleting: stopping 3 copies\n");
    assertThat(waiting.exit()).as(waiting.toString()).isZero();
    assertThat(waiting.out()).isEqualTo("replicaset/worker deleting: stopping 3 copies\n"
        + "replicaset/worker deleting: 3 copies left\n"
        + "replicaset/worker deleted\n");
    assertThat(server.requestLines()).endsWith("GET /api/v1/replicasets/worker", "GET /api/v1/replicasets/worker");
  }

  @Test
  void deleteAsJsonPrintsTheSetBeingDeleted() throws IOException {
    server.store().seed("web", WEB);

    CliRun run = shepherd("delete", "web", "-o", "json");

    assertThat(JSON.readValue(run.out(), ReplicaSetStatus.class).deleting()).isTrue();
  }

  @Test
  void killStopsACopyAndWithScaleLowersTheTarget() throws IOException {
    server.store().seed("web", WEB);

    CliRun replace = shepherd("kill", "web", "web-1");
    CliRun scale = shepherd("kill", "web", "web-2", "--scale");
    CliRun missing = shepherd("kill", "web", "web-99");

    assertThat(replace.out()).isEqualTo("instance web/web-1 stopping; a replacement will start\n");
    assertThat(scale.out()).isEqualTo("instance web/web-2 stopping; replicaset/web scaled to 2\n");
    assertThat(server.requests().get(1).query()).isEqualTo("scale=true");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("shepherd: replica set web has no instance web-99\n");
  }

  @Test
  void aKillWithScaleWhoseOutcomeIsUnknownExitsWith4() throws IOException {
    server.answerAll(500);

    CliRun run = shepherd("kill", "web", "web-1", "--scale");

    assertThat(run.exit()).isEqualTo(4);
    assertThat(run.err())
        .startsWith("shepherd: DELETE /replicasets/web/instances/web-1 may or may not have taken effect");
  }

  @Test
  void restartAsksForARestartInPlaceAndGetShowsItsCount() throws IOException {
    server.store().seed("web", ReplicaSetSpec.of(2, List.of("app")));

    CliRun run = shepherd("restart", "web", "web-1");
    CliRun unknown = shepherd("restart", "web", "web-9");
    CliRun get = shepherd("get", "web");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("instance web/web-1 restarting in place\n");
    assertThat(server.requests()).extracting(FakeShepherdServer.Recorded::line)
        .contains("POST /api/v1/replicasets/web/instances/web-1/restart");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("web-9");
    assertThat(get.out()).contains("Local restarts:    10 within 600000 ms\n",
        "web-1     yes    node-1  127.0.0.1  4002  2024-05-01T12:00:01Z  1             -      1\n",
        "web-2     yes    node-1  127.0.0.1  4002  2024-05-01T12:00:02Z  1             -      0\n");
  }

  @Test
  void getShowsTheConfigFileOfASetThatHasOne() throws IOException {
    server.store().seed("web", ReplicaSetSpec.of(2, List.of("app"))
        .withConfigFile(new io.shepherd.api.ConfigFileSpec("conf/app.env", "env", "signal:HUP")));
    server.store().seed("db", ReplicaSetSpec.of(1, List.of("db")));

    assertThat(shepherd("get", "web").out()).contains("Config file:       conf/app.env (env, on change: signal:HUP)\n");
    assertThat(shepherd("get", "db").out()).doesNotContain("Config file:");
  }

  @Test
  void instancesListsWhereEachCopyRunsAndWhetherItIsReady() throws IOException {
    server.store().seed("web", ReplicaSetSpec.of(2, List.of("app")));
    server.store().setReady("web", "web-2", false);

    CliRun table = shepherd("instances", "web");
    CliRun json = shepherd("instances", "web", "-o", "json");

    assertThat(table.out()).isEqualTo("""
        INSTANCE  READY  NODE    HOST       PID   STARTED               SPEC VERSION  PORTS  RESTARTS
        web-1     yes    node-1  127.0.0.1  4001  2024-05-01T12:00:01Z  1             -      0
        web-2     no     node-1  127.0.0.1  4002  2024-05-01T12:00:02Z  1             -      0
        """);
    assertThat(JSON.readValue(json.out(), new TypeReference<List<Instance>>() {})).hasSize(2);
  }

  @Test
  void nodesAreListed() throws IOException {
    Instant started = Instant.parse("2024-05-01T10:00:00Z");
    server.store().addNode(new Node("node-1", "10.0.0.5", 8, 3, Map.of("zone", "a", "disk", "ssd"), Optional.empty(),
        started));
    server.store().addNode(new Node("node-22", "10.0.0.6", 16, 0, Map.of(), Optional.empty(), started));

    CliRun table = shepherd("nodes");
    CliRun json = shepherd("nodes", "-o", "json");

    assertThat(table.out()).isEqualTo("""
        NODE     HOST      USED  CAPACITY  LABELS           STARTED
        node-1   10.0.0.5  3     8         disk=ssd,zone=a  2024-05-01T10:00:00Z
        node-22  10.0.0.6  0     16        -                2024-05-01T10:00:00Z
        """);
    assertThat(JSON.readValue(json.out(), new TypeReference<List<Node>>() {})).hasSize(2);
  }

  @Test
  void nodesSayWhichExposedPortsTheirGatewaysDoNotServe() throws IOException {
    Instant started = Instant.parse("2024-05-01T10:00:00Z");
    server.store().addNode(new Node("node-1", "10.0.0.5", 8, 0, Map.of(), Optional.empty(), started, List.of(
        new RefusedPort(80, "web", "port 80 is privileged (below 1024); set agent.gateway.allowPrivileged"),
        new RefusedPort(9000, "api", "cannot bind 127.0.0.1:9000: Address already in use"))));
    server.store().addNode(new Node("node-2", "10.0.0.6", 8, 0, Map.of(), Optional.empty(), started));

    CliRun table = shepherd("nodes");
    CliRun json = shepherd("nodes", "-o", "json");

    assertThat(table.out()).isEqualTo("""
        NODE    HOST      USED  CAPACITY  LABELS  STARTED
        node-1  10.0.0.5  0     8         -       2024-05-01T10:00:00Z
        node-2  10.0.0.6  0     8         -       2024-05-01T10:00:00Z

        node-1 does not listen on exposed port 80 (web): port 80 is privileged (below 1024); set \
        agent.gateway.allowPrivileged
        node-1 does not listen on exposed port 9000 (api): cannot bind 127.0.0.1:9000: Address already in use
        """);
    List<Node> read = JSON.readValue(json.out(), new TypeReference<List<Node>>() {});
    assertThat(read.get(0).refusedPorts()).extracting(RefusedPort::port).containsExactly(80, 9000);
    assertThat(read.get(1).refusedPorts()).isEmpty();
  }

  @Test
  void aNodeFromAServerThatDoesNotReportRefusedPortsServesThemAll() throws IOException {
    Node old = JSON.readValue("{\"id\":\"n1\",\"host\":\"h\",\"capacity\":1,\"used\":0,\"labels\":{},"
        + "\"startedAt\":\"2024-05-01T10:00:00Z\"}", Node.class);
    assertThat(old.refusedPorts()).isEmpty();
  }

  @Test
  void leaderSaysWhoControlsAndWhoAnswered() throws IOException {
    server.store().setLeader(new LeaderInfo(Optional.of("server-2"), "server-1", false, 7));

    CliRun table = shepherd("leader");
    CliRun json = shepherd("leader", "-o", "json");

    assertThat(table.out()).isEqualTo("""
        Leader:       server-2
        Epoch:        7
        Answered by:  server-1 (a standby)
        """);
    assertThat(JSON.readValue(json.out(), LeaderInfo.class).leader()).contains("server-2");
  }

  @Test
  void whoamiSaysTheNameAndRoleOfTheToken() throws IOException {
    server.store().setCaller(new WhoAmI("otto", Role.OPERATOR));
    CliRun table = shepherd("whoami");
    CliRun json = shepherd("whoami", "-o", "json");

    assertThat(table.exit()).isZero();
    assertThat(table.out()).isEqualTo("""
        Name:  otto
        Role:  operator
        """);
    assertThat(JSON.readValue(json.out(), WhoAmI.class)).isEqualTo(new WhoAmI("otto", Role.OPERATOR));
  }

  @Test
  void eventsSaysOnStderrWhichEventsMayBeMissingWhenTheServerNoLongerKeepsThem() {
    long since = server.store().lastEventId();
    server.store().publish(EventType.INSTANCE_UP, "web", "web-1", "started, pid 4001");
    long forgotten = server.store().publish(EventType.NODE_DOWN, null, null, "session expired").id();
    server.store().publish(EventType.SCALED, "web", null, "scaled to 2");
    server.forgetEventsUpTo(forgotten);

    CliRun run = shepherd("events", "--since", Long.toString(since), "--limit", "1");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).isEqualTo("shepherd: events after " + since + " up to " + forgotten
        + " may be missing: events after " + since + " up to " + forgotten + " may be missing\n");
    assertThat(run.out()).contains("SCALED").doesNotContain("INSTANCE_UP", "NODE_DOWN");
  }

  @Test
  void eventsPrintsOneLinePerEventFromSince() throws IOException {
    long since = server.store().lastEventId();
    server.store().publish(EventType.INSTANCE_UP, "web", "web-1", "started, pid 4001");
    server.store().publish(EventType.NODE_DOWN, null, null, "session expired");
    server.store().publish(EventType.SCALED, "web", null, "web scaled from 1 to 2", "release-bot");

    CliRun table = shepherd("events", "--since", Long.toString(since), "--limit", "3");
    CliRun json = shepherd("events", "--since", Long.toString(since), "-n", "3", "-o", "json");

    assertThat(table.exit()).as(table.toString()).isZero();
    assertThat(table.out()).isEqualTo(
        "1001      2024-05-01T12:00:01Z  INSTANCE_UP          web/web-1 on node-1  started, pid 4001\n"
            + "1002      2024-05-01T12:00:02Z  NODE_DOWN            - on node-1  session expired\n"
            + "1003      2024-05-01T12:00:03Z  SCALED               web on node-1  web scaled from 1 to 2 (by release-bot)\n");
    List<Event> events = new ArrayList<>();
    for (String line : json.out().split("\n")) {
      events.add(JSON.readValue(line, Event.class));
    }
    assertThat(events).extracting(Event::id).containsExactly(since + 1, since + 2, since + 3);
    assertThat(events).extracting(Event::by).containsExactly(Optional.empty(), Optional.empty(),
        Optional.of("release-bot"));
  }

  @Test
  void logsPrintTheTail() throws IOException {
    for (int i = 1; i <= 4; i++) {
      server.store().appendLog("web", "web-1", "line " + i);
    }

    CliRun run = shepherd("logs", "web", "web-1", "--tail", "2");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("line 3\nline 4\n");
    assertThat(server.requests().get(0).query()).isEqualTo("tail=2");
  }

  @Test
  void logsFollowUntilTheStreamEnds() {
    server.store().appendLog("web", "web-1", "one");
    server.store().endLog("web", "web-1");

    CliRun run = shepherd("logs", "web", "web-1", "--follow");

    assertThat(run.out()).isEqualTo("one\n");
    assertThat(server.requests().get(0).query()).isEqualTo("follow=true");
  }

  @Test
  void configValuesAreSetReadAndDeleted() throws IOException {
    CliRun set = shepherd("config", "set", "web", "colour", "blue");
    CliRun get = shepherd("config", "get", "web", "colour");
    CliRun json = shepherd("config", "get", "web", "colour", "-o", "json");
    CliRun stale = shepherd("config", "set", "web", "colour", "red", "--if-match", "5");
    CliRun delete = shepherd("config", "delete", "web", "colour");
    CliRun gone = shepherd("config", "get", "web", "colour");

    assertThat(set.out()).isEqualTo("config web/colour set (version 0)\n");
    assertThat(get.out()).isEqualTo("blue\n");
    assertThat(JSON.readValue(json.out(), ConfigValue.class)).isEqualTo(new ConfigValue("web", "colour", "blue", 0));
    assertThat(stale.exit()).isEqualTo(1);
    assertThat(delete.out()).isEqualTo("config web/colour deleted\n");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).isEqualTo("shepherd: no config value web/colour\n");
  }

  @Test
  void aServerDownExitsWith3SayingWhichAndWhy() throws IOException {
    String closed = closedPort();

    CliRun get = CliRun.run(Map.of(), "", "get", "--server", closed);
    CliRun events = CliRun.run(Map.of(), "", "events", "--server", closed);

    assertThat(get.exit()).isEqualTo(3);
    assertThat(get.err())
        .isEqualTo("shepherd: no Shepherd server could serve GET /replicasets: " + closed
            + "/api/v1 (connection refused)\n");
    assertThat(events.exit()).isEqualTo(3);
    assertThat(events.err()).startsWith("shepherd: no Shepherd server could serve GET /events");
    assertNoStackTrace(get);
  }

  @Test
  void serversComeFromTheOptionElseTheEnvironmentAndTheFirstThatAnswersServes() throws IOException {
    String closed = closedPort();
    server.store().seed("web", WEB);

    CliRun fromEnv = CliRun.run(Map.of("SHEPHERD_SERVERS", closed + "," + server.url()), "", "get");
    CliRun fromOption = CliRun.run(Map.of("SHEPHERD_SERVERS", closed), "", "get", "-s", server.url());

    assertThat(fromEnv.exit()).as(fromEnv.toString()).isZero();
    assertThat(fromEnv.out()).contains("web");
    assertThat(fromOption.exit()).isZero();
  }

  @Test
  void aValidationErrorFromTheServerExitsWith2() {
    server.answerAll(422);

    CliRun run = shepherd("scale", "web", "3");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("shepherd: invalid request: forced failure 422\n");
  }

  @Test
  void usageErrorsExitWith2AndPointToHelp() {
    CliRun unknown = shepherd("get", "--colour");
    CliRun none = shepherd();
    CliRun badTimeout = shepherd("get", "--timeout", "soon");
    CliRun badServer = CliRun.run(Map.of(), "", "get", "--server", "ftp://x");
    CliRun missingArg = shepherd("scale", "web");

    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err())
        .isEqualTo("shepherd: Unknown option: '--colour'\nTry 'shepherd get --help' for more information.\n");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).startsWith("shepherd: a command is required");
    assertThat(badTimeout.exit()).isEqualTo(2);
    assertThat(badServer.exit()).isEqualTo(2);
    assertThat(badServer.err())
        .isEqualTo("shepherd: --server: a server URL must start with http:// or https://: ftp://x\n");
    assertThat(missingArg.exit()).isEqualTo(2);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    CliRun run = shepherd("--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("apply", "get", "scale", "delete", "kill", "nodes", "leader", "whoami", "events",
        "logs", "config", "Exit codes:", "3   unavailable", "SHEPHERD_SERVERS");
  }

  static String closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }
}
