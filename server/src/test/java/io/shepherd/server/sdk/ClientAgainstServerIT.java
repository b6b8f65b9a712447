package io.shepherd.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ConfigValue;
import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.client.Applied;
import io.shepherd.client.EventSubscription;
import io.shepherd.client.NotFoundException;
import io.shepherd.client.PreconditionFailedException;
import io.shepherd.client.ShepherdClient;
import io.shepherd.client.ValidationException;
import io.shepherd.cli.ShepherdCli;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The Java SDK and the CLI against the real application, with a real agent and real processes. */
class ClientAgainstServerIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  private static TestAgent agent;

  @BeforeAll
  static void startAgent() throws Exception {
    agent = new TestAgent(ZK.connectString(), "sdk-node");
  }

  @AfterAll
  static void stopAgent() throws Exception {
    agent.close();
  }

  private static ShepherdClient client() {
    return ShepherdClient.builder().server(SERVER.baseUrl()).token(TestTokens.admin()).build();
  }

  @Test
  void theSdkDrivesAReplicaSetThroughItsLife() throws Exception {
    try (ShepherdClient shepherd = client()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.leader().leader().isPresent()
          && !shepherd.nodes().isEmpty());

      Applied created = shepherd.apply("sdk", ReplicaSetSpec.of(2, List.of("sleep", "3601")).withStopGraceMs(500));
      assertThat(created.created()).isTrue();
      assertThatThrownBy(() -> shepherd.apply("sdk", ReplicaSetSpec.of(3, List.of("sleep", "3601")),
          created.version() + 5)).isInstanceOf(PreconditionFailedException.class);
      assertThatThrownBy(() -> shepherd.apply("sdk", ReplicaSetSpec.of(-1, List.of("sleep", "1"))))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).contains("replicas"));

      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.instances("sdk").size() == 2);
      List<Instance> discovered = shepherd.instances("sdk");
      assertThat(discovered).allSatisfy(i -> {
        assertThat(i.node()).isEqualTo("sdk-node");
        assertThat(i.host()).isEqualTo("127.0.0.1");
        assertThat(Processes.alive(i.pid())).isTrue();
      });

      shepherd.scale("sdk", 3);
      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.instances("sdk").size() == 3);
      shepherd.killInstance("sdk", discovered.get(0).id(), true);
      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.get("sdk").desired() == 2
          && shepherd.instances("sdk").size() == 2 && !Processes.alive(discovered.get(0).pid()));

      // A restart in place: the same copy, a new process, one restart.
      Instance restarted = discovered.get(1);
      shepherd.restart("sdk", restarted.id());
      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.instances("sdk").stream()
          .anyMatch(i -> i.id().equals(restarted.id()) && i.pid() != restarted.pid() && i.restarts() == 1));
      assertThat(Processes.alive(restarted.pid())).isFalse();
      assertThatThrownBy(() -> shepherd.restart("sdk", "sdk-none")).isInstanceOf(NotFoundException.class);

      ConfigValue v = shepherd.putConfig("sdk", "greeting", "hello");
      assertThat(v.version()).isZero();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(shepherd.getConfig("sdk", "greeting").value()).isEqualTo("hello"));
      assertThatThrownBy(() -> shepherd.putConfig("sdk", "greeting", "bye", 7))
          .isInstanceOf(PreconditionFailedException.class);
      shepherd.deleteConfig("sdk", "greeting");
      assertThatThrownBy(() -> shepherd.deleteConfig("sdk", "greeting")).isInstanceOf(NotFoundException.class);

      shepherd.delete("sdk");
      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.find("sdk").isEmpty());
      assertThatThrownBy(() -> shepherd.get("sdk")).isInstanceOf(NotFoundException.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> Processes.countDescendantsWith("3601") == 0);
    }
  }

  @Test
  void theSdkFollowsTheEventStreamInOrderAndReadsACopysLogs() throws Exception {
    List<Event> events = new CopyOnWriteArrayList<>();
    try (ShepherdClient shepherd = client();
        EventSubscription subscription = shepherd.events(OptionalLong.empty(), events::add)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !shepherd.nodes().isEmpty());
      shepherd.apply("told", ReplicaSetSpec.of(1, List.of("sh", "-c", "echo hello-from-a-copy; exec sleep 3603")));
      await().atMost(Duration.ofSeconds(20)).until(() -> shepherd.instances("told").size() == 1);
      String id = shepherd.instances("told").get(0).id();

      await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().map(Event::type).toList()
          .containsAll(List.of(EventType.SPEC_CHANGED, EventType.ASSIGNED, EventType.INSTANCE_UP)));
      List<EventType> told = events.stream().filter(e -> e.replicaSet().equals(Optional.of("told")))
          .map(Event::type).toList();
      assertThat(told).containsSubsequence(EventType.SPEC_CHANGED, EventType.ASSIGNED, EventType.INSTANCE_UP);
      assertThat(events).extracting(Event::id).isSorted().doesNotHaveDuplicates();

      List<String> lines = new CopyOnWriteArrayList<>();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        lines.clear();
        shepherd.logs("told", id, OptionalInt.of(10), false, lines::add);
        assertThat(lines).contains("hello-from-a-copy");
      });
      Run cliLogs = cli("logs", "told", id, "--tail", "5");
      assertThat(cliLogs.exit()).isZero();
      assertThat(cliLogs.out()).contains("hello-from-a-copy");
      Run cliEvents = cli("events", "--since", "0", "--limit", "2");
      assertThat(cliEvents.exit()).isZero();
      assertThat(cliEvents.out().lines().count()).isEqualTo(2);

      shepherd.delete("told");
      await().atMost(Duration.ofSeconds(20)).until(() -> Processes.countDescendantsWith("3603") == 0);
      await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
          .anyMatch(e -> e.type() == EventType.INSTANCE_DOWN && e.instance().equals(Optional.of(id))));
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    return cliAs(TestTokens.admin(), args);
  }

  private static Run cliAs(String token, String... args) {
    CommandLine cli = ShepherdCli.commandLine(Map.of("SHEPHERD_SERVERS", SERVER.baseUrl(), "SHEPHERD_TOKEN", token),
        new ByteArrayInputStream(new byte[0]));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void theCliCreatesListsAndRevokesTokensThatTheServerHonours() {
    Run created = cli("token", "create", "cli-made", "--role", "viewer");
    assertThat(created.exit()).as(created.err()).isZero();
    String secret = created.out().strip();
    assertThat(created.err()).contains("token/cli-made created");

    assertThat(cliAs(secret, "nodes").exit()).isZero();
    Run refused = cliAs(secret, "scale", "nothing-here", "2");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("operator role");

    Run list = cli("token", "list");
    String line = list.out().lines().filter(l -> l.contains("cli-made")).findFirst().orElseThrow();
    assertThat(line).contains("viewer").doesNotContain(secret);
    assertThat(cli("token", "revoke", line.split("\\s+")[0]).exit()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> cliAs(secret, "nodes").exit() == 1);
    assertThat(cliAs(secret, "nodes").err()).contains("a valid API token is required");
  }

  @Test
  void theCliAppliesGetsScalesKillsAndDeletes() throws Exception {
    Path file = Files.createTempFile("cli", ".yaml");
    Files.writeString(file, "name: cli\nreplicas: 2\ncommand: [\"sleep\", \"3602\"]\nstopGraceMs: 500\n");
    assertThat(cli("apply", "-f", file.toString()).exit()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> Processes.countDescendantsWith("3602") == 2);

    Run get = cli("get", "cli");
    assertThat(get.exit()).isZero();
    assertThat(get.out()).contains("cli").contains("sdk-node");
    assertThat(cli("-o", "json", "get", "cli").out()).contains("\"desired\"");

    assertThat(cli("scale", "cli", "3").exit()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> Processes.countDescendantsWith("3602") == 3);

    String victim = cli("-o", "json", "instances", "cli").out().replaceAll("(?s).*?\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    assertThat(cli("restart", "cli", victim).exit()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> cli("get", "cli").out().lines()
        .anyMatch(l -> l.startsWith(victim + " ") && l.trim().endsWith(" 1")));
    assertThat(cli("kill", "cli", victim, "--scale").exit()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> Processes.countDescendantsWith("3602") == 2);

    assertThat(cli("nodes").out()).contains("sdk-node");
    assertThat(cli("leader").exit()).isZero();

    Run bad = cli("scale", "cli", "-5");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("replicas").doesNotContain("Exception");
    Run missing = cli("get", "nothing-here");
    assertThat(missing.exit()).isEqualTo(1);

    assertThat(cli("delete", "cli", "--wait").exit()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> Processes.countDescendantsWith("3602") == 0);
  }
}
