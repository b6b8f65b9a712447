package io.shepherd.server.faults;

import static io.shepherd.server.faults.Copies.PATIENCE;
import static io.shepherd.server.faults.Copies.awaitNodes;
import static io.shepherd.server.faults.Copies.awaitRunning;
import static io.shepherd.server.faults.Copies.deleteAndAwaitGone;
import static io.shepherd.server.faults.Copies.ids;
import static io.shepherd.server.faults.Copies.on;
import static io.shepherd.server.faults.Copies.pids;
import static io.shepherd.server.testing.ControllerWitness.reconcilePastByLeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.server.testing.AgentJvm;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ConfiguredAgent;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TcpProxy;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent dies, is cut off past its session, or comes back under a new session while its old one still lives on
 * the server: its copies move to the live nodes, its old copies are stopped when it returns, nothing is counted
 * twice, and nothing runs under a registration that is not the agent's own.
 */
class AgentSessionFaultsIT {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();
  /**
   * The session timeout of an agent whose session the test waits to see expire (10 ticks of the test ZooKeeper); the
   * others keep {@link TestAgent}'s 4 s, and so does an agent whose old session must outlive its return.
   */
  private static final Duration SHORT_SESSION = Duration.ofSeconds(2);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  private Scenario scenario;
  private Api api;
  private CuratorFramework zk;
  private Invariants invariants;

  @BeforeEach
  void setUp() throws Exception {
    api = new Api(SERVER.baseUrl());
    scenario = new Scenario(api);
    zk = scenario.track(TestZkAuth.serverClient(ZK.connectString(), new RetryOneTime(100)));
    zk.start();
    invariants = scenario.track(new Invariants(ZK.connectString()));
  }

  @AfterEach
  void tearDown() throws Exception {
    scenario.close();
  }

  private <T extends AutoCloseable> T track(T closeable) {
    return scenario.track(closeable);
  }

  private long nodeOwner(String nodeId) throws Exception {
    Stat stat = zk.checkExists().forPath(LAYOUT.node(nodeId));
    return stat == null ? 0 : stat.getEphemeralOwner();
  }

  private long instanceOwner(Instance i) throws Exception {
    Stat stat = zk.checkExists().forPath(LAYOUT.instance(i.replicaSet(), i.id()));
    return stat == null ? 0 : stat.getEphemeralOwner();
  }

  @Test
  void aKilledAgentsCopiesMoveToTheLiveNodeAndItsNextRunStopsTheOrphansItLeft() throws Exception {
    String marker = "3710001";
    track(new TestAgent(ZK.connectString(), "steady"));
    Path dataDir = Files.createTempDirectory("shepherd-crashy");
    AgentJvm crashy = track(new AgentJvm(ZK.connectString(), "crashy", dataDir, SHORT_SESSION));
    awaitNodes(api, "steady", "crashy");
    scenario.apply("rescued", 4, marker);
    List<Instance> orphans = on("crashy", awaitRunning(api, "rescued", 4));
    assertThat(orphans).hasSize(2);
    AssignmentLedger ledger = AssignmentLedger.read(zk);

    crashy.sigkill();

    await().atMost(PATIENCE).until(() -> {
      List<Instance> live = api.instances("rescued");
      return live.size() == 4 && on("steady", live).size() == 4 && Processes.allAlive(live);
    });
    List<Instance> rescued = api.instances("rescued");
    // Nothing could stop them while their agent was dead; they count for nothing.
    assertThat(orphans).allMatch(i -> Processes.alive(i.pid()));

    track(new AgentJvm(ZK.connectString(), "crashy", dataDir, SHORT_SESSION));

    await().atMost(PATIENCE).until(() -> Processes.noneAlive(pids(orphans)));
    awaitNodes(api, "steady", "crashy");
    // Decided with the node back: had its return moved or doubled a copy, this decision would have ordered it.
    reconcilePastByLeader(PATIENCE, SERVER);
    assertThat(ids(api.instances("rescued"))).isEqualTo(ids(rescued));
    assertThat(Processes.withMarker(marker)).hasSize(4);
    assertThat(AssignmentLedger.read(zk).createdSince(ledger)).as("replacements created").isEqualTo(2);
    invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(api, "rescued", marker);
  }

  @Test
  void anAgentCutOffPastItsSessionStopsItsOldCopiesWhenItReconnectsUnderANewSession() throws Exception {
    String marker = "3710002";
    TcpProxy proxy = track(new TcpProxy(ZK.connectString()));
    track(new TestAgent(ZK.connectString(), "steady"));
    ConfiguredAgent isolated = track(ConfiguredAgent.builder(proxy.connectString(), "isolated")
        .sessionTimeout(SHORT_SESSION).start());
    awaitNodes(api, "steady", "isolated");
    scenario.apply("cutoff", 4, marker);
    List<Instance> old = on("isolated", awaitRunning(api, "cutoff", 4));
    assertThat(old).hasSize(2);
    AssignmentLedger ledger = AssignmentLedger.read(zk);
    long oldSession = isolated.agent().registeredSession().orElseThrow();

    proxy.cut();

    await().atMost(PATIENCE).until(() -> {
      List<Instance> live = api.instances("cutoff");
      return live.size() == 4 && on("steady", live).size() == 4 && Processes.allAlive(live);
    });
    List<Instance> replaced = api.instances("cutoff");
    // Cut off, the agent cannot know yet: its copies keep running (KEEP_RUNNING) but count for nothing.
    assertThat(old).allMatch(i -> Processes.alive(i.pid()));

    proxy.heal();

    await().atMost(PATIENCE).until(() -> isolated.agent().registeredSession().isPresent()
        && isolated.agent().registeredSession().getAsLong() != oldSession);
    await().atMost(PATIENCE).until(() -> Processes.noneAlive(pids(old)));
    assertThat(nodeOwner("isolated")).isEqualTo(isolated.agent().registeredSession().getAsLong());
    awaitNodes(api, "steady", "isolated");
    // Decided with the node back under its new session: a copy moved or doubled for it would be ordered here.
    reconcilePastByLeader(PATIENCE, SERVER);
    assertThat(ids(api.instances("cutoff"))).isEqualTo(ids(replaced));
    assertThat(Processes.withMarker(marker)).hasSize(4);
    assertThat(AssignmentLedger.read(zk).createdSince(ledger)).as("replacements created").isEqualTo(2);
    invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(api, "cutoff", marker);
  }

  @Test
  void anAgentRestartedBeforeItsOldSessionExpiresReplacesTheStaleNodeAndRunsNothingUnderTheOldSession()
      throws Exception {
    String marker = "3710003";
    track(new TestAgent(ZK.connectString(), "steady"));
    Path dataDir = Files.createTempDirectory("shepherd-phoenix");
    AgentJvm first = track(new AgentJvm(ZK.connectString(), "phoenix", dataDir));
    awaitNodes(api, "steady", "phoenix");
    scenario.apply("reborn", 4, marker);
    List<Instance> orphans = on("phoenix", awaitRunning(api, "reborn", 4));
    assertThat(orphans).hasSize(2);
    AssignmentLedger ledger = AssignmentLedger.read(zk);
    long oldSession = nodeOwner("phoenix");

    first.sigkill();
    TestAgent second = track(new TestAgent(ZK.connectString(), "phoenix", dataDir));

    await().atMost(PATIENCE).until(() -> second.agent().registeredSession().isPresent());
    long newSession = second.agent().registeredSession().getAsLong();
    assertThat(ZkSessions.alive(ZK.server().getPort(), oldSession))
        .as("the killed agent's session still lives on the server: its node was stale, not gone").isTrue();
    assertThat(nodeOwner("phoenix")).isEqualTo(newSession).isNotEqualTo(oldSession);
    await().atMost(PATIENCE).until(() -> Processes.noneAlive(pids(orphans)));

    assertRunsOnlyUnderItsNewSession(second, "phoenix", oldSession, newSession, "reborn", marker, orphans, ledger);
    assertThat(second.agent().registeredSession()).hasValue(newSession);
    deleteAndAwaitGone(api, "reborn", marker);
  }

  @Test
  void anAgentThatGaveUpItsSessionBeforeTheServerDidReplacesItsStaleNodeAndStopsItsOldCopiesAtOnce()
      throws Exception {
    String marker = "3710004";
    TcpProxy proxy = track(new TcpProxy(ZK.connectString()));
    track(new TestAgent(ZK.connectString(), "steady"));
    TestAgent lazarus = track(new TestAgent(proxy.connectString(), "lazarus"));
    awaitNodes(api, "steady", "lazarus");
    scenario.apply("lazarus", 4, marker);
    List<Instance> old = on("lazarus", awaitRunning(api, "lazarus", 4));
    assertThat(old).hasSize(2);
    AssignmentLedger ledger = AssignmentLedger.read(zk);
    long oldSession = lazarus.agent().registeredSession().orElseThrow();

    // The client gives its session up while nothing it sends can reach the server (as Curator does by itself after
    // a session timeout of suspension, which a server in a lost quorum has not counted): the server keeps the
    // session, and its ephemeral nodes, until it times out there.
    proxy.cut();
    await().atMost(PATIENCE).until(() -> !lazarus.client().getZookeeperClient().isConnected());
    lazarus.client().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    proxy.heal();

    await().atMost(PATIENCE).until(() -> lazarus.agent().registeredSession().isPresent()
        && lazarus.agent().registeredSession().getAsLong() != oldSession);
    long newSession = ZkClients.sessionId(lazarus.client());
    assertThat(ZkSessions.alive(ZK.server().getPort(), oldSession))
        .as("the old session still lives on the server: the agent replaced a node that was not its own").isTrue();
    assertThat(nodeOwner("lazarus")).isEqualTo(newSession);
    await().atMost(PATIENCE).until(() -> Processes.noneAlive(pids(old)));
    assertThat(ZkSessions.alive(ZK.server().getPort(), oldSession))
        .as("the agent stopped its old copies itself, before their session expired and the leader replaced them")
        .isTrue();

    assertRunsOnlyUnderItsNewSession(lazarus, "lazarus", oldSession, newSession, "lazarus", marker, old, ledger);
    deleteAndAwaitGone(api, "lazarus", marker);
  }

  /**
   * Once the old session of {@code agent} (node {@code nodeId}) has expired on the server: the node is the new
   * session's, the replica set of 4 copies runs none of {@code old}, the agent's copies are owned by the new session,
   * and that stays so, with exactly the two copies of the old session replaced.
   */
  private void assertRunsOnlyUnderItsNewSession(TestAgent agent, String nodeId, long oldSession, long newSession,
      String replicaSet, String marker, List<Instance> old, AssignmentLedger ledger) throws Exception {
    await().atMost(PATIENCE).until(() -> !ZkSessions.alive(ZK.server().getPort(), oldSession));
    // The old session's expiry took nothing of the new run's with it.
    assertThat(nodeOwner(nodeId)).isEqualTo(newSession);
    List<Instance> live = awaitRunning(api, replicaSet, 4);
    assertThat(ids(live)).doesNotContainAnyElementsOf(ids(old));
    for (Instance i : on(nodeId, live)) {
      assertThat(instanceOwner(i)).as("owner of %s", i.id()).isEqualTo(newSession);
    }
    // The agent has recorded the ends of its old copies and runs just its new ones.
    await().atMost(PATIENCE).until(() -> agent.agent().copyCount() == on(nodeId, live).size());
    // Decided after the old session's expiry: whatever that expiry would make it replace, it has ordered by now.
    reconcilePastByLeader(PATIENCE, SERVER);
    assertThat(ids(api.instances(replicaSet))).isEqualTo(ids(live));
    assertThat(Processes.withMarker(marker)).hasSize(4);
    assertThat(AssignmentLedger.read(zk).createdSince(ledger)).as("replacements created").isEqualTo(2);
    assertThat(agent.agent().copyCount()).isEqualTo(on(nodeId, live).size());
    invariants.awaitConverged(PATIENCE);
  }

  @Test
  void copiesAssignedToAnAgentWhileItWasCutOffAreStartedOnceWhenItReturnsUnderANewSession() throws Exception {
    String marker = "3710005";
    TcpProxy proxy = track(new TcpProxy(ZK.connectString()));
    TestAgent solo = track(new TestAgent(proxy.connectString(), "solo"));
    awaitNodes(api, "solo");
    long oldSession = solo.agent().registeredSession().orElseThrow();
    AssignmentLedger ledger = AssignmentLedger.read(zk);

    // Cut off, but its session lives on the server: the node is still live, and the leader assigns it the copies.
    proxy.cut();
    await().atMost(PATIENCE).until(() -> !solo.client().getZookeeperClient().isConnected());
    scenario.apply("waiting", 2, marker);
    await().atMost(PATIENCE).until(() -> zk.getChildren().forPath(LAYOUT.assignmentsOf("solo")).size() == 2);
    solo.client().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    proxy.heal();

    // Back under a new session, it replaces its node: the copies waiting for it are still its to start.
    await().atMost(PATIENCE).until(() -> solo.agent().registeredSession().isPresent()
        && solo.agent().registeredSession().getAsLong() != oldSession);
    awaitRunning(api, "waiting", 2);
    // Decided with both running: had the copies waiting for it been given up and assigned again, that is ordered
    // here. The agent starts what it is assigned once: its copies are in its table, each as one process.
    reconcilePastByLeader(PATIENCE, SERVER);
    assertThat(AssignmentLedger.read(zk).createdSince(ledger)).as("assignments created").isEqualTo(2);
    assertThat(solo.agent().copyCount()).as("copies its agent runs").isEqualTo(2);
    assertThat(Processes.withMarker(marker)).hasSize(2);
    invariants.awaitConverged(PATIENCE);
    deleteAndAwaitGone(api, "waiting", marker);
  }
}
