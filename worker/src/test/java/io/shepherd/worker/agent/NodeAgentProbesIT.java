package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.AgentTestKit.RS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.AssignmentRecord;
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
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.Watcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probes run by the agent against real processes: liveness stops a hung copy, readiness flips, startup holds. */
class NodeAgentProbesIT extends AgentKitBase {
  private static final String NODE = "n1";

  @BeforeEach
  void startAgent() throws Exception {
    kit.start(kit.config(NODE).build());
  }

  @Test
  void aFrozenHttpServerIsStoppedByItsLivenessProbeAsItsFailure() throws Exception {
    int port = freePort();
    // Startup (tcp) holds liveness until the server listens, so liveness can only fail once the copy is frozen.
    Probes probes = new Probes(
        tcp("http", 100, 300, 200),
        new ProbeRecord(null, new ProbeRecord.Http("http", "/"), null, 0, 200, 300, 2, 1),
        null);
    // A grace far longer than the wait below: the frozen copy must act on its SIGTERM, not wait for its SIGKILL.
    kit.assign(NODE, "i1", List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1"), 600_000,
        Map.of("http", port), probes);
    ProcessHandle copy = kit.awaitRegistered(NODE, "i1");
    await().until(() -> answers(port));

    signal("STOP", copy.pid());

    await().atMost(Duration.ofSeconds(60))
        .until(() -> kit.assignment(NODE, "i1").orElseThrow().state() == AssignmentState.EXITED);
    AssignmentRecord a = kit.assignment(NODE, "i1").orElseThrow();
    assertThat(a.reason().orElseThrow()).startsWith("liveness probe failed 2 times: GET http://127.0.0.1:" + port
        + "/: ").endsWith("timed out");
    assertThat(a.failedProbe()).as("the copy's failure").isTrue();
    assertThat(a.endedByAgent()).as("not an end its agent chose").isFalse();
    assertThat(a.exitCode()).as("woken by SIGCONT after its SIGTERM, it ended on the SIGTERM").contains(-15);
    assertThat(kit.instance("i1")).isEmpty();
    assertThat(copy.isAlive()).isFalse();
  }

  @Test
  void aCopyItsLivenessProbeStoppedIsRestartedInPlaceAsACrash() throws Exception {
    Path hung = tmp.resolve("hung");
    // The failing run removes the file itself, so the restarted copy's first probe passes: were the test to remove
    // it, that probe could run first and restart the new copy too.
    Probes probes = new Probes(null, exec("test ! -e '" + hung + "' || { rm -f '" + hung + "'; echo hung; exit 1; }", 1),
        null);
    kit.assign(NODE, "i1", List.of("sleep", "300"), 1_000, probes, LocalRestartPolicy.DEFAULT);
    ProcessHandle first = kit.awaitRegistered(NODE, "i1");

    Files.createFile(hung);
    await().until(() -> kit.assignment(NODE, "i1").map(a -> a.restarts() >= 1).orElse(false));
    assertThat(hung).as("the failing probe took the file").doesNotExist();

    await().until(() -> kit.assignment(NODE, "i1").map(a -> a.state() == AssignmentState.RUNNING
        && a.pid() != first.pid()).orElse(false) && kit.instance("i1").isPresent());
    AssignmentRecord a = kit.assignment(NODE, "i1").orElseThrow();
    kit.track(a.pid());
    assertThat(a.failedProbe()).as("running again: not given back").isFalse();
    assertThat(a.lastExit()).as("stopped by its agent: SIGTERM").hasValueSatisfying(e ->
        assertThat(e.code()).isEqualTo(-15));
    assertThat(a.restartWindow()).as("counted as a crash, toward the backoff")
        .hasValueSatisfying(w -> assertThat(w.crashes()).isPositive());
    assertThat(first.isAlive()).isFalse();
  }

  @Test
  void readinessFlipsTheInstanceReadyFalseTrueFalse() throws Exception {
    Path flag = tmp.resolve("ready");
    Probes probes = new Probes(null, null, new ProbeRecord(
        new ProbeRecord.Exec(List.of("test", "-f", flag.toString())), null, null, 0, 100, 1_000, 1, 1));
    kit.assign(NODE, "i1", List.of("sleep", "300"), 1_000, Map.of(), probes);
    kit.awaitRegistered(NODE, "i1");

    assertThat(instance("i1").ready()).as("a copy with a readiness probe registers unready").isFalse();
    Files.createFile(flag);
    await().until(() -> instance("i1").ready());
    Files.delete(flag);
    await().until(() -> !instance("i1").ready());
    assertThat(kit.assignment(NODE, "i1").orElseThrow().state()).isEqualTo(AssignmentState.RUNNING);
  }

  @Test
  void startupHoldsLivenessBackUntilItPasses() throws Exception {
    Path gate = tmp.resolve("started");
    Path startupRuns = tmp.resolve("startup-runs");
    Path livenessRan = tmp.resolve("liveness-ran");
    Probes probes = new Probes(
        exec("echo run >> '" + startupRuns + "'; test -f '" + gate + "'", 1_000),
        exec("touch '" + livenessRan + "'; echo not alive; exit 1", 1),
        null);
    kit.assign(NODE, "i1", List.of("sleep", "300"), 1_000, Map.of(), probes);
    kit.awaitRegistered(NODE, "i1");

    await().until(() -> Files.exists(startupRuns) && Files.readAllLines(startupRuns).size() >= 3);
    assertThat(livenessRan).as("liveness runs only once startup passed").doesNotExist();
    assertThat(kit.assignment(NODE, "i1").orElseThrow().state()).isEqualTo(AssignmentState.RUNNING);

    Files.createFile(gate);

    await().until(() -> kit.assignment(NODE, "i1").orElseThrow().state() == AssignmentState.EXITED);
    AssignmentRecord a = kit.assignment(NODE, "i1").orElseThrow();
    assertThat(a.reason()).contains("liveness probe failed 1 time: exit code 1: not alive");
    assertThat(a.failedProbe()).isTrue();
    assertThat(livenessRan).exists();
  }

  @Test
  void aCopyItsAgentStopsIsMarkedUnreadyBeforeItsInstanceGoes() throws Exception {
    // Deaf to SIGTERM, so that its instance stays for the grace period after the unready write: long enough for the
    // watcher below to read what that write said.
    kit.assign(NODE, "i1", List.of("sh", "-c", "trap '' TERM; sleep 300"), 1_000, Map.of(), Probes.NONE);
    kit.awaitRegistered(NODE, "i1");
    assertThat(instance("i1").ready()).as("without a readiness probe a running copy is ready").isTrue();
    List<String> seen = new CopyOnWriteArrayList<>();
    kit.controller.getZookeeperClient().getZooKeeper().addWatch(kit.layout.instance(RS, "i1"), event -> {
      if (event.getType() == Watcher.Event.EventType.NodeDataChanged) {
        try {
          seen.add("changed ready=" + instance("i1").ready());
        } catch (Exception e) {
          seen.add("changed, gone before it could be read");
        }
      } else if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
        seen.add("deleted");
      }
    }, AddWatchMode.PERSISTENT);

    kit.unassign(NODE, "i1");

    await().until(() -> seen.contains("deleted"));
    assertThat(seen).containsExactly("changed ready=false", "deleted");
  }

  private InstanceRecord instance(String id) throws Exception {
    return RecordCodec.read(kit.controller.getData().forPath(kit.layout.instance(RS, id)), InstanceRecord.class);
  }

  private static ProbeRecord tcp(String port, long periodMs, long timeoutMs, int failureThreshold) {
    return new ProbeRecord(null, null, new ProbeRecord.Tcp(port), 0, periodMs, timeoutMs, failureThreshold, 1);
  }

  private static ProbeRecord exec(String script, int failureThreshold) {
    return new ProbeRecord(new ProbeRecord.Exec(List.of("sh", "-c", script)), null, null, 0, 100, 2_000,
        failureThreshold, 1);
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
      return s.getInputStream().read() >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }
}
