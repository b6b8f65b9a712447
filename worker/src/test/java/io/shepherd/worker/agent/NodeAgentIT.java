package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.AgentTestKit.RS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.RecordCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.junit.jupiter.api.Test;

/** The agent's life of a copy, against a real ZooKeeper and real processes. */
class NodeAgentIT extends AgentKitBase {
  private static final List<String> SLEEP = List.of("sleep", "300");
  private static final List<String> DEAF_TO_SIGTERM = List.of("sh", "-c", "trap '' TERM; sleep 300");
  private static final String NODE = "n1";

  @Test
  void launchesAnAssignedCopyAndRegistersItWithItsPid() throws Exception {
    NodeAgent agent = kit.start(kit.config(NODE).build());
    kit.assign(NODE, "i1", SLEEP);

    ProcessHandle p = kit.awaitRegistered(NODE, "i1");

    AssignmentRecord a = kit.assignment(NODE, "i1").orElseThrow();
    InstanceRecord i = RecordCodec.read(kit.controller.getData().forPath(kit.layout.instance(RS, "i1")),
        InstanceRecord.class);
    assertThat(p.isAlive()).isTrue();
    assertThat(p.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("sleep"));
    assertThat(i.pid()).isEqualTo(a.pid()).isEqualTo(p.pid());
    assertThat(i.node()).isEqualTo(NODE);
    assertThat(kit.instance("i1").orElseThrow().getEphemeralOwner()).isEqualTo(agent.registeredSession().getAsLong());
    assertThat(kit.dataDir.resolve(NODE).resolve("run/i1.json")).exists();
  }

  @Test
  void closingTheAgentStopsItsCopiesRecordsTheirEndAndDeregistersTheNode() throws Exception {
    NodeAgent agent = kit.start(kit.config(NODE).build());
    kit.assign(NODE, "i1", DEAF_TO_SIGTERM, 500, OnPartition.KEEP_RUNNING, 0);
    ProcessHandle p = kit.awaitRegistered(NODE, "i1");
    await().until(() -> p.descendants().findAny().isPresent());
    List<ProcessHandle> children = p.descendants().toList();

    agent.close();

    assertThat(p.isAlive()).isFalse();
    assertThat(children).noneMatch(ProcessHandle::isAlive);
    assertThat(kit.instance("i1")).isEmpty();
    assertThat(kit.assignment(NODE, "i1").orElseThrow().exitCode()).contains(-9);
    assertThat(kit.controller.checkExists().forPath(kit.layout.node(NODE))).isNull();
    assertThat(kit.dataDir.resolve(NODE).resolve("run/i1.json")).doesNotExist();
  }

  @Test
  void registersTheNodeWithItsLogServer() throws Exception {
    NodeAgent agent = kit.start(kit.config(NODE).capacity(3).build());

    await().until(() -> kit.controller.checkExists().forPath(kit.layout.node(NODE)) != null);

    NodeRecord node = RecordCodec.read(kit.controller.getData().forPath(kit.layout.node(NODE)), NodeRecord.class);
    assertThat(node.capacity()).isEqualTo(3);
    assertThat(node.logsUrl()).isEqualTo(agent.logsUrl()).hasValueSatisfying(u -> assertThat(u).startsWith("http://127.0.0.1:"));
    assertThat(kit.controller.checkExists().forPath(kit.layout.assignmentsOf(NODE))).isNotNull();
  }

  @Test
  void runsTheCopyInItsOwnDirectoryWithItsEnvironmentAndAppendsItsOutputToItsLog() throws Exception {
    kit.start(kit.config(NODE).build());
    kit.assign(NODE, "i1", List.of("sh", "-c",
        "echo env=$SHEPHERD_TEST; echo id=$SHEPHERD_INSTANCE_ID/$SHEPHERD_NODE; pwd; cat; echo oops >&2; exit 3"));

    await().until(() -> kit.assignment(NODE, "i1").map(a -> a.state() == AssignmentState.EXITED).orElse(false));

    Path log = kit.dataDir.resolve(NODE).resolve("logs/i1.log");
    assertThat(Files.readAllLines(log)).containsExactly(
        "env=yes", "id=i1/" + NODE, kit.dataDir.resolve(NODE).resolve("instances/i1").toRealPath().toString(),
        "oops");
  }

  @Test
  void aCopyThatExitsDeletesItsInstanceAndRecordsExitedWithItsCode() throws Exception {
    kit.start(kit.config(NODE).build());
    kit.assign(NODE, "killed", SLEEP);
    kit.assign(NODE, "failing", List.of("sh", "-c", "exit 3"));
    ProcessHandle p = kit.awaitRegistered(NODE, "killed");

    p.destroyForcibly();

    await().until(() -> kit.instance("killed").isEmpty());
    await().until(() -> kit.assignment(NODE, "killed").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "killed").orElseThrow().exitCode()).contains(-9);
    await().until(() -> kit.assignment(NODE, "failing").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "failing").orElseThrow().exitCode()).contains(3);
    assertThat(kit.instance("failing")).isEmpty();
    await().until(() -> !Files.exists(kit.dataDir.resolve(NODE).resolve("run/killed.json")));
  }

  @Test
  void aDeletedAssignmentStopsItsCopyWithSigterm() throws Exception {
    kit.start(kit.config(NODE).build());
    kit.assign(NODE, "i1", SLEEP, 60_000, OnPartition.KEEP_RUNNING, 0);
    ProcessHandle p = kit.awaitRegistered(NODE, "i1");

    kit.unassign(NODE, "i1");

    // Long before the 60 s grace: SIGTERM ended it.
    await().atMost(Duration.ofSeconds(10)).until(() -> !p.isAlive());
    await().until(() -> kit.instance("i1").isEmpty());
  }

  @Test
  void aCopyDeafToSigtermIsKilledAfterTheGraceAndOnlyThenLosesItsInstance() throws Exception {
    kit.start(kit.config(NODE).build());
    kit.assign(NODE, "i1", DEAF_TO_SIGTERM, 1_500, OnPartition.KEEP_RUNNING, 0);
    ProcessHandle p = kit.awaitRegistered(NODE, "i1");
    await().until(() -> p.descendants().findAny().isPresent());
    List<ProcessHandle> children = p.descendants().toList();

    // Whether the copy still ran at the moment its instance went: the event itself, not a look some time after. The
    // instance first changes (marked unready as the stop begins), then goes.
    CompletableFuture<WatchedEvent> instanceGone = new CompletableFuture<>();
    CompletableFuture<Boolean> aliveWhenInstanceWent = new CompletableFuture<>();
    CompletableFuture<Boolean> aliveWhenMarkedUnready = new CompletableFuture<>();
    kit.controller.getZookeeperClient().getZooKeeper().addWatch(kit.layout.instance(RS, "i1"), event -> {
      if (event.getType() == Watcher.Event.EventType.NodeDataChanged) {
        aliveWhenMarkedUnready.complete(p.isAlive());
      } else if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
        aliveWhenInstanceWent.complete(p.isAlive());
        instanceGone.complete(event);
      }
    }, org.apache.zookeeper.AddWatchMode.PERSISTENT);
    long unassigned = System.nanoTime(); // the stop, and so its grace, begins after this

    kit.unassign(NODE, "i1");

    // Deaf to SIGTERM, it ends by the SIGKILL at the end of its grace, and never before.
    p.onExit().get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - unassigned)).as("how long it ran on after its stop began")
        .isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
    assertThat(instanceGone.get(10, TimeUnit.SECONDS).getType()).isEqualTo(Watcher.Event.EventType.NodeDeleted);
    assertThat(aliveWhenInstanceWent.get()).as("the copy still ran when its instance was deleted").isFalse();
    assertThat(aliveWhenMarkedUnready.getNow(false)).as("marked unready while it still ran").isTrue();
    await().until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void anAssignmentFromAnOlderEpochIsRefused() throws Exception {
    kit.setEpoch(5);
    kit.start(kit.config(NODE).build());

    kit.assign(NODE, "stale", SLEEP, 10_000, OnPartition.KEEP_RUNNING, 4);
    kit.assign(NODE, "current", SLEEP, 10_000, OnPartition.KEEP_RUNNING, 5);

    kit.awaitRegistered(NODE, "current");
    await().until(() -> kit.assignment(NODE, "stale").orElseThrow().state() == AssignmentState.EXITED);
    AssignmentRecord stale = kit.assignment(NODE, "stale").orElseThrow();
    assertThat(stale.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("stale epoch 4"));
    assertThat(stale.endedByAgent()).as("refused: not the copy's failure").isTrue();
    assertThat(stale.pid()).isZero();
    assertThat(kit.instance("stale")).isEmpty();
  }

  @Test
  void aPendingAssignmentInheritedByANewerLeaderIsLaunched() throws Exception {
    kit.setEpoch(4);
    kit.assign(NODE, "inherited", SLEEP, 10_000, OnPartition.KEEP_RUNNING, 4);
    kit.setEpoch(5); // a new leader took over after the old one assigned the copy
    kit.start(kit.config(NODE).build());

    kit.awaitRegistered(NODE, "inherited");
    assertThat(kit.assignment(NODE, "inherited").orElseThrow().state()).isEqualTo(AssignmentState.RUNNING);
  }

  @Test
  void aFullNodeRefusesFurtherAssignments() throws Exception {
    kit.start(kit.config(NODE).capacity(1).build());
    kit.assign(NODE, "first", SLEEP);
    kit.awaitRegistered(NODE, "first");

    kit.assign(NODE, "second", SLEEP);

    await().until(() -> kit.assignment(NODE, "second").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "second").orElseThrow().reason()).contains("node full");
    assertThat(kit.assignment(NODE, "second").orElseThrow().endedByAgent()).isTrue();
  }

  @Test
  void aProgramThatCannotStartIsRecordedAsFailed() throws Exception {
    kit.start(kit.config(NODE).build());

    kit.assign(NODE, "i1", List.of("/no/such/program"));

    await().until(() -> kit.assignment(NODE, "i1").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "i1").orElseThrow().reason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("cannot start:"));
    assertThat(kit.assignment(NODE, "i1").orElseThrow().endedByAgent()).as("the copy's own failure").isFalse();
  }

  @Test
  void aLateCopyWhoseAssignmentWasDeletedBeforeItRegisteredIsStopped() throws Exception {
    ProcessLauncher real = new ProcessLauncher(java.time.Clock.systemUTC());
    List<CopyProcess> launched = new java.util.concurrent.CopyOnWriteArrayList<>();
    Launcher deletingFirst = new Launcher() {
      @Override
      public CopyProcess launch(AssignmentRecord a, Path dir, Path log, Map<String, String> agentEnv)
          throws java.io.IOException {
        CopyProcess p = real.launch(a, dir, log, agentEnv);
        launched.add(p);
        kit.track(p.pid());
        // The controller cancels the copy between its launch and its registration.
        AgentTestKit.unchecked(() -> {
          kit.unassign(NODE, a.instanceId());
          return null;
        });
        return p;
      }

      @Override
      public LauncherMode mode() {
        return LauncherMode.PROCESS;
      }
    };
    kit.start(kit.config(NODE).build(), deletingFirst);

    kit.assign(NODE, "late", SLEEP, 60_000, OnPartition.KEEP_RUNNING, 0);

    await().until(() -> launched.size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !launched.get(0).isAlive());
    assertThat(launched.get(0).onExit().join()).isEqualTo(ExitCodes.exitValueOfSignal(ExitCodes.SIGKILL));
    assertThat(kit.instance("late")).isEmpty();
    await().until(() -> !Files.exists(kit.dataDir.resolve(NODE).resolve("run/late.json")));
  }

  @Test
  void aCopyOfAReplicaSetThatIsGoneIsStoppedUnannounced() throws Exception {
    kit.start(kit.config(NODE).build());
    kit.controller.delete().forPath(kit.layout.instances(RS));

    kit.assign(NODE, "orphan", SLEEP);

    await().until(() -> kit.assignment(NODE, "orphan").orElseThrow().state() == AssignmentState.EXITED);
    AssignmentRecord a = kit.assignment(NODE, "orphan").orElseThrow();
    assertThat(a.exitCode()).contains(-9);
    assertThat(ProcessHandle.of(a.pid()).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void aRegisterOnlyCopyRegistersWithoutAProcessAndRunsUntilItsAssignmentIsDeleted() throws Exception {
    NodeAgent agent = kit.start(kit.config(NODE).launcher(LauncherMode.REGISTER_ONLY).build());
    kit.assign(NODE, "i1", SLEEP);

    await().until(() -> kit.instance("i1").isPresent());
    assertThat(kit.assignment(NODE, "i1").orElseThrow().pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(agent.copyCount()).isEqualTo(1);

    kit.unassign(NODE, "i1");

    await().until(() -> kit.instance("i1").isEmpty() && agent.copyCount() == 0);
  }
}
