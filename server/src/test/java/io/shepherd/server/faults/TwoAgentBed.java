package io.shepherd.server.faults;

import static io.shepherd.server.faults.Copies.awaitNodes;

import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Invariants;
import io.shepherd.server.testing.TestAgent;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
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
  private final Api first;
  private final Api second;

  private TwoAgentBed(String connect, Api first, Api second) throws Exception {
    this.first = first;
    this.second = second;
    scenario = new Scenario(first);
    zk = scenario.track(CuratorFrameworkFactory.newClient(connect, 30_000, 5_000,
        new ExponentialBackoffRetry(100, 10, 1_000)));
    zk.start();
    invariants = scenario.track(new Invariants(connect));
    a = scenario.track(new TestAgent(connect, "a"));
    b = scenario.track(new TestAgent(connect, "b"));
  }

  /** Starts the agents and the clients, and waits until the first server sees both nodes. */
  static TwoAgentBed start(String connect, Api first, Api second) throws Exception {
    TwoAgentBed bed = new TwoAgentBed(connect, first, second);
    try {
      awaitNodes(first, "a", "b");
    } catch (Exception | AssertionError e) {
      bed.close();
      throw e;
    }
    return bed;
  }

  boolean anyLeads() throws Exception {
    return first.leader().isLeader() || second.leader().isLeader();
  }

  @Override
  public void close() throws Exception {
    scenario.close();
  }
}
