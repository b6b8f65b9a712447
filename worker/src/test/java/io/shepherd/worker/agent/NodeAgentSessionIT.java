package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.AgentTestKit.RS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent does with its copies when ZooKeeper goes away, the session expires, or the agent restarts. */
class NodeAgentSessionIT {
  private static final List<String> SLEEP = List.of("sleep", "300");
  private static final List<String> DEAF_TO_SIGTERM = List.of("sh", "-c", "trap '' TERM; sleep 300");
  private static final String NODE = "n1";

  @TempDir
  Path tmp;
  private AgentTestKit kit;
  private final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() throws Exception {
    kit = new AgentTestKit(tmp);
    kit.createReplicaSet(RS);
    kit.agentClient.getConnectionStateListenable().addListener((c, s) -> states.add(s));
  }

  @AfterEach
  void tearDown() throws Exception {
    kit.close();
  }

  @Test
  void copiesKeepRunningWhileZooKeeperIsDownWithinTheSessionAndExitsAreRecordedWhenItIsBack() throws Exception {
    NodeAgent agent = kit.start(kit.config(NODE).build());
    kit.assign(NODE, "stays", SLEEP);
    kit.assign(NODE, "dies", SLEEP);
    // The control: a copy the agent does stop when ZooKeeper goes, seen the same way as "stays".
    kit.assign(NODE, "careful", SLEEP, 60_000, OnPartition.STOP, 0);
    ProcessHandle stays = kit.awaitRegistered(NODE, "stays");
    ProcessHandle dies = kit.awaitRegistered(NODE, "dies");
    ProcessHandle careful = kit.awaitRegistered(NODE, "careful");
    long session = agent.registeredSession().getAsLong();

    kit.server.stop();
    await().until(() -> states.contains(ConnectionState.SUSPENDED));
    dies.destroyForcibly();
    await().until(() -> !dies.isAlive());
    // The agent has acted on the suspension: it stopped the STOP copy, and left "stays" in the same pass.
    careful.onExit().get(AgentTestKit.SESSION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(stays.isAlive()).as("the KEEP_RUNNING copy runs while ZooKeeper is down").isTrue();
    kit.server.restart();

    await().until(() -> kit.instance("dies").isEmpty());
    await().until(() -> kit.assignment(NODE, "dies").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "dies").orElseThrow().exitCode()).contains(-9);
    assertThat(kit.assignment(NODE, "dies").orElseThrow().endedByAgent()).as("it died on its own").isFalse();
    assertThat(stays.isAlive()).isTrue();
    assertThat(kit.instance("stays").orElseThrow().getEphemeralOwner()).isEqualTo(session);
    assertThat(agent.registeredSession()).hasValue(session);
  }

  @Test
  void anExitThatCouldNotBeWrittenWhileZooKeeperWasDownIsWrittenOnReconnection() throws Exception {
    CuratorFramework impatient = kit.impatientClient();
    BlockingQueue<ConnectionState> impatientStates = new LinkedBlockingQueue<>();
    impatient.getConnectionStateListenable().addListener((c, s) -> impatientStates.add(s));
    kit.start(impatient, kit.config(NODE).build());
    kit.assign(NODE, "dies", SLEEP);
    ProcessHandle dies = kit.awaitRegistered(NODE, "dies");

    kit.server.stop();
    await().until(() -> impatientStates.contains(ConnectionState.SUSPENDED));
    dies.destroyForcibly();
    await().until(() -> !dies.isAlive());
    kit.server.restart();

    await().until(() -> kit.instance("dies").isEmpty());
    await().until(() -> kit.assignment(NODE, "dies").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "dies").orElseThrow().exitCode()).contains(-9);
    assertThat(kit.assignment(NODE, "dies").orElseThrow().endedByAgent()).as("it died on its own").isFalse();
  }

  @Test
  void aStopPolicyCopyIsStoppedWhenTheConnectionIsSuspended() throws Exception {
    kit.start(kit.config(NODE).build());
    kit.assign(NODE, "careful", DEAF_TO_SIGTERM, 60_000, OnPartition.STOP, 0);
    kit.assign(NODE, "keen", SLEEP, 60_000, OnPartition.KEEP_RUNNING, 0);
    ProcessHandle careful = kit.awaitRegistered(NODE, "careful");
    ProcessHandle keen = kit.awaitRegistered(NODE, "keen");

    kit.server.stop();

    // Killed within a third of the session timeout, not after its own 60 s grace: before the session could expire.
    await().atMost(AgentTestKit.SESSION_TIMEOUT).until(() -> !careful.isAlive());
    assertThat(keen.isAlive()).isTrue();
    kit.server.restart();
    await().until(() -> kit.instance("careful").isEmpty());
    await().until(() -> kit.assignment(NODE, "careful").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "careful").orElseThrow().endedByAgent()).as("its agent stopped it").isTrue();
    assertThat(kit.instance("keen")).isPresent();
    assertThat(keen.isAlive()).isTrue();
  }

  @Test
  void afterARealSessionExpiryTheCopiesAreStoppedAndTheNodeRegistersAfresh() throws Exception {
    NodeAgent agent = kit.start(kit.config(NODE).build());
    kit.assign(NODE, "i1", SLEEP);
    ProcessHandle p = kit.awaitRegistered(NODE, "i1");
    long oldSession = agent.registeredSession().getAsLong();

    kit.agentClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

    await().until(() -> !p.isAlive());
    await().until(() -> agent.registeredSession().isPresent() && agent.registeredSession().getAsLong() != oldSession);
    long newSession = ZkClients.sessionId(kit.agentClient);
    await().until(() -> Optional.ofNullable(kit.controller.checkExists().forPath(kit.layout.node(NODE)))
        .map(s -> s.getEphemeralOwner() == newSession).orElse(false));
    await().until(() -> kit.assignment(NODE, "i1").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "i1").orElseThrow().endedByAgent()).as("its agent stopped it").isTrue();
    assertThat(kit.instance("i1")).isEmpty();
    assertThat(agent.copyCount()).isZero();
  }

  @Test
  void aStaleNodeRegistrationOfAnotherSessionIsReplaced() throws Exception {
    CuratorFramework previousRun = kit.newClient();
    previousRun.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
        .forPath(kit.layout.node(NODE), "{}".getBytes());

    NodeAgent agent = kit.start(kit.config(NODE).build());

    await().until(() -> agent.registeredSession().isPresent());
    assertThat(kit.controller.checkExists().forPath(kit.layout.node(NODE)).getEphemeralOwner())
        .isEqualTo(agent.registeredSession().getAsLong())
        .isNotEqualTo(ZkClients.sessionId(previousRun));
  }

  @Test
  void aRestartedAgentStopsTheCopiesItsPreviousRunLeftAndSparesReusedPids() throws Exception {
    Path dataDir = kit.dataDir.resolve(NODE);
    RunRecords records = new RunRecords(dataDir.resolve("run"));
    CuratorFramework previousRun = kit.newClient();
    ProcessHandle left = kit.track(new ProcessBuilder(SLEEP).start().pid());
    records.write(new RunRecord("left", RS, left.pid(), left.info().startInstant(), 500, LauncherMode.PROCESS));
    kit.assign(NODE, "left", SLEEP);
    AssignmentRecord running = kit.assignment(NODE, "left").orElseThrow().running(left.pid(), Instant.now());
    kit.controller.setData().forPath(kit.layout.assignment(NODE, "left"), RecordCodec.write(running));
    previousRun.create().withMode(CreateMode.EPHEMERAL).forPath(kit.layout.instance(RS, "left"), "{}".getBytes());
    // A pid that is alive but started at another time than recorded: reused by an unrelated process.
    ProcessHandle stranger = kit.track(new ProcessBuilder(SLEEP).start().pid());
    records.write(new RunRecord("reused", RS, stranger.pid(),
        stranger.info().startInstant().map(i -> i.minus(Duration.ofHours(1))), 500, LauncherMode.PROCESS));

    kit.start(kit.config(NODE).build());

    await().until(() -> !left.isAlive());
    await().until(() -> kit.instance("left").isEmpty());
    await().until(() -> kit.assignment(NODE, "left").orElseThrow().state() == AssignmentState.EXITED);
    assertThat(kit.assignment(NODE, "left").orElseThrow().reason()).contains("agent restarted");
    assertThat(kit.assignment(NODE, "left").orElseThrow().endedByAgent()).isTrue();
    await().until(() -> !Files.exists(dataDir.resolve("run/left.json")) && !Files.exists(dataDir.resolve("run/reused.json")));
    assertThat(stranger.isAlive()).isTrue();
  }
}
