package io.shepherd.server.faults;

import static io.shepherd.server.faults.Copies.awaitNodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ControllerWitness;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.worker.zk.ZkClients;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * The bed of the ZooKeeper fault tests: two Shepherd servers ({@code first}, {@code second}) on one ZooKeeper,
 * agents {@code a} and {@code b}, the shared invariant checker, and a patient client of the test's own ({@code zk}:
 * it must not give its session up while ZooKeeper is away). Everything is tracked by {@link #scenario}, so that
 * {@link #close()} stops it all even after a failure half-way.
 */
final class TwoAgentBed implements AutoCloseable {
  final Scenario scenario;
  final CuratorFramework zk;
  final Invariants invariants;
  final TestAgent a;
  final TestAgent b;
  private final ServerExtension firstServer;
  private final ServerExtension secondServer;
  private final Api first;
  private final Api second;

  private TwoAgentBed(String connect, ServerExtension firstServer, ServerExtension secondServer) throws Exception {
    this.firstServer = firstServer;
    this.secondServer = secondServer;
    this.first = new Api(firstServer.baseUrl());
    this.second = new Api(secondServer.baseUrl());
    scenario = new Scenario(first);
    zk = scenario.track(TestZkAuth.serverBuilder(connect).sessionTimeoutMs(30_000)
        .connectionTimeoutMs(5_000).retryPolicy(new ExponentialBackoffRetry(100, 10, 1_000)).build());
    zk.start();
    invariants = scenario.track(new Invariants(connect));
    a = scenario.track(new TestAgent(connect, "a"));
    b = scenario.track(new TestAgent(connect, "b"));
  }

  /** Starts the agents and the clients, and waits until the first server sees both nodes. */
  static TwoAgentBed start(String connect, ServerExtension first, ServerExtension second) throws Exception {
    TwoAgentBed bed = new TwoAgentBed(connect, first, second);
    try {
      awaitNodes(bed.first, "a", "b");
    } catch (Exception | AssertionError e) {
      bed.close();
      throw e;
    }
    return bed;
  }

  boolean anyLeads() throws Exception {
    return first.leader().isLeader() || second.leader().isLeader();
  }

  /**
   * The ZooKeeper clients whose sessions the scenarios are about: both servers' (a leader's is its fence) and both
   * agents' (an agent's is its copies'), by name. The test's own clients are left out: theirs outlive any outage.
   */
  Map<String, CuratorFramework> sessionClients() {
    Map<String, CuratorFramework> clients = new LinkedHashMap<>();
    clients.put("first server", firstServer.application().zooKeeperClient());
    clients.put("second server", secondServer.application().zooKeeperClient());
    clients.put("agent a", a.client());
    clients.put("agent b", b.client());
    return clients;
  }

  /** Starts recording the connection states of {@link #sessionClients}. */
  ConnectionStates connectionStates() {
    return new ConnectionStates(sessionClients());
  }

  /**
   * Waits until every session client, and {@link #zk}, is connected again (so that the next outage does not find
   * one still suspended from the last, which would give its session up after a session timeout of both together)
   * and a server leads, and asserts that the agents are still served in {@code sessionA} and {@code sessionB}: an
   * outage within the session timeout must not cost them their sessions.
   */
  void awaitConnectedInSessions(Duration atMost, long sessionA, long sessionB) {
    await().atMost(atMost).until(() -> anyLeads() && zk.getZookeeperClient().isConnected()
        && sessionClients().values().stream().allMatch(c -> c.getZookeeperClient().isConnected()));
    try {
      assertThat(ZkClients.sessionId(a.client())).as("agent a's ZooKeeper session").isEqualTo(sessionA);
      assertThat(ZkClients.sessionId(b.client())).as("agent b's ZooKeeper session").isEqualTo(sessionB);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    assertThat(a.agent().registeredSession()).as("agent a's registration").hasValue(sessionA);
    assertThat(b.agent().registeredSession()).as("agent b's registration").hasValue(sessionB);
  }

  /** See {@link ControllerWitness#reconcilePastByLeader}. */
  void awaitDecidedByLeader(Duration atMost) {
    ControllerWitness.reconcilePastByLeader(atMost, firstServer, secondServer);
  }

  @Override
  public void close() throws Exception {
    scenario.close();
  }
}
