package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.AgentTestKit.RS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.LocalRestartPolicy;
import io.shepherd.worker.record.RecordCodec;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * Restarts in place by the agent alone, against a real ZooKeeper and real processes: no controller runs here, so
 * whatever starts a copy again is the agent.
 */
class NodeAgentRestartsIT extends AgentKitBase {
  private static final List<String> SLEEP = List.of("sleep", "300");
  private static final List<String> EXIT_3 = List.of("sh", "-c", "exit 3");
  private static final String NODE = "n1";
  /** Every exit is a crash (minimum uptime a minute); the second restart in a row waits 3 s, and so on. */
  private static final LocalRestartPolicy CRASHES_BACK_OFF =
      new LocalRestartPolicy(10, 600_000L, 60_000L, 3_000L, 3_000L, 600_000L);

  @Test
  void aKilledCopyIsRestartedInPlaceUnderTheSameIdWithItsPortsAndANewPid() throws Exception {
    kit.start(kit.config(NODE).build());
    int port = freePort();
    kit.assign(NODE, "web-1", SLEEP, Map.of("http", port), LocalRestartPolicy.DEFAULT);
    ProcessHandle first = kit.awaitRegistered(NODE, "web-1");
    Stat assignmentBefore = kit.controller.checkExists().forPath(kit.layout.assignment(NODE, "web-1"));

    first.destroyForcibly();

    await().until(() -> kit.assignment(NODE, "web-1").map(a -> a.restarts() == 1
        && a.state() == AssignmentState.RUNNING).orElse(false) && kit.instance("web-1").isPresent());
    AssignmentRecord a = kit.assignment(NODE, "web-1").orElseThrow();
    InstanceRecord i = RecordCodec.read(kit.controller.getData().forPath(kit.layout.instance(RS, "web-1")),
        InstanceRecord.class);
    ProcessHandle second = kit.track(a.pid());
    assertThat(a.pid()).isNotEqualTo(first.pid()).isEqualTo(i.pid());
    assertThat(second.isAlive()).isTrue();
    assertThat(a.lastExit()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(-9));
    assertThat(a.ports()).containsExactlyEntriesOf(Map.of("http", port));
    assertThat(i.ports()).containsExactlyEntriesOf(Map.of("http", port));
    assertThat(a.restartWindow()).hasValueSatisfying(w -> assertThat(w.count()).isEqualTo(1));
    Stat assignmentAfter = kit.controller.checkExists().forPath(kit.layout.assignment(NODE, "web-1"));
    assertThat(assignmentAfter.getCzxid()).as("the same assignment, not a new one")
        .isEqualTo(assignmentBefore.getCzxid());
    assertThat(kit.dataDir.resolve(NODE).resolve("run/web-1.json")).exists();
  }

  @Test
  void theFirstRestartIsImmediateAndTheNextWaitsInBackoffWithoutAnInstance() throws Exception {
    kit.start(kit.config(NODE).build());
    kit.assign(NODE, "c1", SLEEP, Map.of(), CRASHES_BACK_OFF);
    ProcessHandle first = kit.awaitRegistered(NODE, "c1");
    first.destroyForcibly();
    await().until(() -> kit.assignment(NODE, "c1").map(a -> a.restarts() == 1
        && a.state() == AssignmentState.RUNNING && a.pid() != first.pid()).orElse(false));
    ProcessHandle second = kit.track(kit.assignment(NODE, "c1").orElseThrow().pid());

    second.destroyForcibly();

    await().until(() -> kit.assignment(NODE, "c1").map(a -> a.state() == AssignmentState.BACKOFF).orElse(false));
    AssignmentRecord waiting = kit.assignment(NODE, "c1").orElseThrow();
    assertThat(waiting.restarts()).as("counted when it starts again").isEqualTo(1);
    assertThat(waiting.nextStartAt()).hasValueSatisfying(
        t -> assertThat(t).isAfter(waiting.lastExit().orElseThrow().at()));
    assertThat(kit.instance("c1")).as("neither live nor dead: no instance while it waits").isEmpty();
    await().atMost(Duration.ofSeconds(30)).until(() -> kit.assignment(NODE, "c1").map(a -> a.restarts() == 2
        && a.state() == AssignmentState.RUNNING).orElse(false) && kit.instance("c1").isPresent());
    kit.track(kit.assignment(NODE, "c1").orElseThrow().pid());
  }

  @Test
  void afterLocalAttemptsRestartsTheCopyIsGivenBack() throws Exception {
    kit.start(kit.config(NODE).build());
    // Never a crash (minimum uptime 0): each restart is immediate, and the third exit finds the attempts used up.
    kit.assign(NODE, "c1", EXIT_3, Map.of(), new LocalRestartPolicy(2, 600_000L, 0L, 1_000L, 1_000L, 10_000L));

    await().until(() -> kit.assignment(NODE, "c1").map(a -> a.state() == AssignmentState.EXITED).orElse(false));

    AssignmentRecord a = kit.assignment(NODE, "c1").orElseThrow();
    assertThat(a.restarts()).isEqualTo(2);
    assertThat(a.exitCode()).contains(3);
    assertThat(a.lastExit()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(3));
    assertThat(a.endedByAgent()).as("the copy's own failure, not its agent's choice").isFalse();
    await().until(() -> kit.instance("c1").isEmpty());
  }

  @Test
  void aProgramThatCannotStartIsGivenBackAtOnce() throws Exception {
    kit.start(kit.config(NODE).build());
    kit.assign(NODE, "c1", List.of("/nonexistent/program"), Map.of(), LocalRestartPolicy.DEFAULT);

    await().until(() -> kit.assignment(NODE, "c1").map(a -> a.state() == AssignmentState.EXITED).orElse(false));

    assertThat(kit.assignment(NODE, "c1").orElseThrow().restarts()).isZero();
  }

  @Test
  void theCountersSurviveAnAgentRestart() throws Exception {
    NodeAgent agent = kit.start(kit.config(NODE).build());
    kit.assign(NODE, "c1", EXIT_3, Map.of(), CRASHES_BACK_OFF);
    // Exits at once: restarted immediately, then it waits out its backoff.
    await().until(() -> kit.assignment(NODE, "c1").map(a -> a.state() == AssignmentState.BACKOFF).orElse(false));
    assertThat(kit.assignment(NODE, "c1").orElseThrow().restarts()).isEqualTo(1);

    agent.close();
    kit.start(kit.config(NODE).build());

    await().atMost(Duration.ofSeconds(30)).until(() -> kit.assignment(NODE, "c1")
        .map(a -> a.restarts() >= 2).orElse(false));
    AssignmentRecord a = kit.assignment(NODE, "c1").orElseThrow();
    assertThat(a.restartWindow()).hasValueSatisfying(w -> assertThat(w.count()).isGreaterThanOrEqualTo(2));
  }

  @Test
  void aRequestedRestartStopsTheCopyGracefullyAndStartsItAgainWithoutCountingAFailure() throws Exception {
    kit.start(kit.config(NODE).build());
    kit.assign(NODE, "c1", SLEEP, Map.of(), LocalRestartPolicy.DEFAULT);
    ProcessHandle first = kit.awaitRegistered(NODE, "c1");
    Stat stat = new Stat();
    AssignmentRecord running = RecordCodec.read(kit.controller.getData().storingStatIn(stat)
        .forPath(kit.layout.assignment(NODE, "c1")), AssignmentRecord.class);

    kit.controller.setData().withVersion(stat.getVersion())
        .forPath(kit.layout.assignment(NODE, "c1"), RecordCodec.write(running.withRestartRequested(1)));

    await().until(() -> kit.assignment(NODE, "c1").map(a -> a.restarts() == 1
        && a.state() == AssignmentState.RUNNING && a.restartServed() == 1).orElse(false)
        && kit.instance("c1").isPresent());
    AssignmentRecord a = kit.assignment(NODE, "c1").orElseThrow();
    kit.track(a.pid());
    assertThat(a.pid()).isNotEqualTo(first.pid());
    assertThat(first.isAlive()).isFalse();
    assertThat(a.lastExit()).hasValueSatisfying(e -> assertThat(e.code()).as("SIGTERM").isEqualTo(-15));
    assertThat(a.restartWindow()).as("not an attempt, not a crash").isEmpty();
  }

  @Test
  void aCopyItsAgentStopsAfterASessionChangeIsNotRestarted() throws Exception {
    NodeAgent agent = kit.start(kit.config(NODE).build());
    kit.assign(NODE, "c1", SLEEP, Map.of(), LocalRestartPolicy.DEFAULT);
    ProcessHandle p = kit.awaitRegistered(NODE, "c1");
    long oldSession = agent.registeredSession().getAsLong();

    kit.agentClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

    await().until(() -> !p.isAlive());
    await().until(() -> agent.registeredSession().isPresent() && agent.registeredSession().getAsLong() != oldSession);
    await().until(() -> kit.assignment(NODE, "c1").orElseThrow().state() == AssignmentState.EXITED);
    AssignmentRecord a = kit.assignment(NODE, "c1").orElseThrow();
    assertThat(a.endedByAgent()).as("its agent stopped it").isTrue();
    assertThat(a.restarts()).as("not restarted in place").isZero();
    assertThat(kit.instance("c1")).isEmpty();
    assertThat(agent.copyCount()).isZero();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
