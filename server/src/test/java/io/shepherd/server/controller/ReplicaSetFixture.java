package io.shepherd.server.controller;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.PortSpec;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.PortRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@link ReplicaSetSnapshot} of one replica set, "web", at {@link #NOW}. Copies are described by what a
 * user would say about them (running for an hour, exited after a second, assigned ten seconds ago); the node loads
 * are computed from them, so a test never has to keep {@link NodeLoad#used()} consistent by hand.
 */
final class ReplicaSetFixture {
  static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  static final String NAME = "web";
  static final int SPEC_VERSION = 7;
  private static final List<String> COMMAND = List.of("sleep", "infinity");

  private ReplicaSetSpec spec;
  private boolean deleting;
  private CrashLoopState crashLoop = CrashLoopState.HEALTHY;
  private boolean spawnsHeld;
  private final Map<String, NodeSpec> nodes = new LinkedHashMap<>();
  private final Set<String> recentlyGone = new HashSet<>();
  private final List<AssignmentRecord> assignments = new ArrayList<>();
  private final List<InstanceRecord> instances = new ArrayList<>();

  private record NodeSpec(int capacity, int loadOfOtherSets, Map<String, String> labels, Optional<PortRange> ports,
      Set<Integer> portsOfOtherSets) {
    NodeSpec(int capacity, int loadOfOtherSets, Map<String, String> labels) {
      this(capacity, loadOfOtherSets, labels, Optional.empty(), Set.of());
    }
  }

  private ReplicaSetFixture(int replicas) {
    this.spec = ReplicaSetSpec.of(replicas, COMMAND);
  }

  /** A replica set that wants {@code replicas} copies, with no node and no copy yet. */
  static ReplicaSetFixture replicaSet(int replicas) {
    return new ReplicaSetFixture(replicas);
  }

  // ---- the spec and its status ----------------------------------------------------------------------------------

  ReplicaSetFixture nodeSelector(Map<String, String> selector) {
    spec = spec.withNodeSelector(selector);
    return this;
  }

  /** The spec names these ports, in this order. */
  ReplicaSetFixture ports(String... names) {
    spec = spec.withPorts(Arrays.stream(names).map(PortSpec::new).toList());
    return this;
  }

  ReplicaSetFixture crashLoopPolicy(CrashLoopPolicy policy) {
    spec = spec.withCrashLoop(policy);
    return this;
  }

  ReplicaSetFixture crashLoop(int consecutiveFailures, Optional<Instant> nextSpawnAt) {
    crashLoop = new CrashLoopState(consecutiveFailures, nextSpawnAt);
    return this;
  }

  ReplicaSetFixture crashLoop(CrashLoopState state) {
    crashLoop = state;
    return this;
  }

  /** The user asked to delete the replica set. */
  ReplicaSetFixture deleting() {
    deleting = true;
    return this;
  }

  // ---- live nodes -----------------------------------------------------------------------------------------------

  ReplicaSetFixture node(String id, int capacity) {
    return node(id, capacity, 0);
  }

  /** A node that already runs {@code loadOfOtherSets} copies of other replica sets. */
  ReplicaSetFixture node(String id, int capacity, int loadOfOtherSets) {
    nodes.put(id, new NodeSpec(capacity, loadOfOtherSets, Map.of()));
    return this;
  }

  /** A node with a port range, {@code from..to}, and no copy of another replica set. */
  ReplicaSetFixture nodeWithPorts(String id, int capacity, int from, int to) {
    nodes.put(id, new NodeSpec(capacity, 0, Map.of(), Optional.of(new PortRange(from, to)), Set.of()));
    return this;
  }

  /** Copies of other replica sets on a node hold these ports, one copy each. */
  ReplicaSetFixture portsHeldByOtherSets(String nodeId, Integer... ports) {
    NodeSpec n = nodes.get(nodeId);
    Set<Integer> held = new HashSet<>(n.portsOfOtherSets());
    held.addAll(List.of(ports));
    nodes.put(nodeId, new NodeSpec(n.capacity(), n.loadOfOtherSets() + ports.length, n.labels(), n.ports(), held));
    return this;
  }

  /** The copy {@code id} (added before) was given these ports, name to port. */
  ReplicaSetFixture withPorts(String id, Map<String, Integer> ports) {
    for (int i = 0; i < assignments.size(); i++) {
      AssignmentRecord a = assignments.get(i);
      if (a.instanceId().equals(id)) {
        assignments.set(i, a.withPorts(ports));
        return this;
      }
    }
    throw new IllegalArgumentException("no copy " + id);
  }

  /** A node that vanished a moment ago: maybe its agent is re-registering under a new session. */
  ReplicaSetFixture nodeGoneAMomentAgo(String id) {
    recentlyGone.add(id);
    return this;
  }

  ReplicaSetFixture labelledNode(String id, Map<String, String> labels) {
    nodes.put(id, new NodeSpec(10, 0, labels));
    return this;
  }

  // ---- copies of this replica set -------------------------------------------------------------------------------

  /** A copy that has been running for {@code uptime}: RUNNING, with its instance registered. */
  ReplicaSetFixture running(String id, String node, Duration uptime) {
    AssignmentRecord a = assigned(id, node, uptime.plusSeconds(1)).running(4000 + assignments.size(), NOW.minus(uptime));
    assignments.add(a);
    instances.add(new InstanceRecord(id, NAME, node, node + ".example", a.pid(), NOW.minus(uptime), SPEC_VERSION));
    return this;
  }

  /** A copy running for {@code uptime}, its instance registered, that {@code by} asked to stop (a kill). */
  ReplicaSetFixture stopRequested(String id, String node, Duration uptime, String by) {
    running(id, node, uptime);
    assignments.add(assignments.remove(assignments.size() - 1).withStopRequested(by));
    return this;
  }

  /** A copy running for {@code uptime} whose readiness probe does not pass: live, registered unready. */
  ReplicaSetFixture unready(String id, String node, Duration uptime) {
    running(id, node, uptime);
    InstanceRecord i = instances.remove(instances.size() - 1);
    instances.add(i.withReady(false));
    return this;
  }

  /** A copy that ran for {@code ranFor} and was just stopped by its agent because its liveness probe failed. */
  ReplicaSetFixture failedItsLivenessProbe(String id, String node, Duration ranFor) {
    assignments.add(assigned(id, node, ranFor.plusSeconds(1)).running(4000 + assignments.size(), NOW.minus(ranFor))
        .failedProbe(-15, NOW, "liveness probe failed 3 times: timed out"));
    return this;
  }

  /** An assignment created {@code age} ago whose copy has not started yet. */
  ReplicaSetFixture pending(String id, String node, Duration age) {
    assignments.add(assigned(id, node, age));
    return this;
  }

  /**
   * A copy that exited {@code ago} and that its agent restarts in place at {@code nextStartIn} from now (negative:
   * that long ago), created long ago.
   */
  ReplicaSetFixture backoff(String id, String node, Duration nextStartIn) {
    AssignmentRecord a = assigned(id, node, Duration.ofHours(1)).running(4242, NOW.minusSeconds(60));
    assignments.add(a.backoff(new io.shepherd.worker.record.LastExit(-9, NOW.minusMillis(1), 60_000), Optional.empty(),
        NOW.plus(nextStartIn)));
    return this;
  }

  /** A copy that ran for {@code ranFor} and has just exited with status 1. */
  ReplicaSetFixture exited(String id, String node, Duration ranFor) {
    return ended(id, node, ranFor, 1);
  }

  /** A copy that ran for {@code ranFor} and has just been killed by SIGKILL. */
  ReplicaSetFixture killed(String id, String node, Duration ranFor) {
    return ended(id, node, ranFor, -9);
  }

  /** An assignment whose copy could not be launched. */
  ReplicaSetFixture failedToStart(String id, String node) {
    assignments.add(assigned(id, node, Duration.ofSeconds(2)).failed("no such file", NOW));
    return this;
  }

  /** A copy that ran for {@code ranFor} and was just stopped by its own agent (say, after a session change). */
  ReplicaSetFixture stoppedByItsAgent(String id, String node, Duration ranFor) {
    assignments.add(assigned(id, node, ranFor.plusSeconds(1)).running(4000 + assignments.size(), NOW.minus(ranFor))
        .stoppedByAgent(-15, NOW, "ZooKeeper session expired"));
    return this;
  }

  /** An assignment its agent refused (an older controller epoch, say). */
  ReplicaSetFixture refusedByItsAgent(String id, String node) {
    assignments.add(assigned(id, node, Duration.ofSeconds(2)).endedByAgent("older epoch", NOW));
    return this;
  }

  /** A copy still RUNNING in its assignment, started {@code uptime} ago, whose instance is gone. */
  ReplicaSetFixture lost(String id, String node, Duration uptime) {
    assignments.add(assigned(id, node, uptime.plusSeconds(1)).running(4000 + assignments.size(), NOW.minus(uptime)));
    return this;
  }

  /** A copy whose assignment turned RUNNING {@code ago} and whose instance is gone. */
  ReplicaSetFixture runningWithoutInstance(String id, String node, Duration ago) {
    assignments.add(assigned(id, node, ago.plusSeconds(1)).running(4000 + assignments.size(), NOW.minus(ago)));
    return this;
  }

  /** A copy whose assignment was cancelled and that its agent is stopping: an instance without assignment. */
  ReplicaSetFixture stopping(String id, String node) {
    return instance(id, node);
  }

  /** The instance of a copy whose assignment says it exited: the ephemeral znode has not gone yet. */
  ReplicaSetFixture lingeringInstance(String id, String node) {
    return instance(id, node);
  }

  private ReplicaSetFixture instance(String id, String node) {
    instances.add(new InstanceRecord(id, NAME, node, node + ".example", 9000, NOW.minusSeconds(60), SPEC_VERSION));
    return this;
  }

  private ReplicaSetFixture ended(String id, String node, Duration ranFor, int exitCode) {
    assignments.add(assigned(id, node, ranFor.plusSeconds(1)).running(4000 + assignments.size(), NOW.minus(ranFor))
        .exited(exitCode, NOW));
    return this;
  }

  private static AssignmentRecord assigned(String id, String node, Duration age) {
    return AssignmentRecord.assigned(id, NAME, node, COMMAND, Map.of(), Optional.empty(), 10_000,
        OnPartition.KEEP_RUNNING, SPEC_VERSION, 1, NOW.minus(age));
  }

  // ---- the snapshot ---------------------------------------------------------------------------------------------

  ReplicaSetSnapshot build() {
    Map<String, NodeLoad> loads = new LinkedHashMap<>();
    nodes.forEach((id, n) -> {
      long ofThisSet = assignments.stream().filter(a -> a.nodeId().equals(id)).count();
      Set<Integer> usedPorts = new HashSet<>(n.portsOfOtherSets());
      assignments.stream().filter(a -> a.nodeId().equals(id)).forEach(a -> usedPorts.addAll(a.ports().values()));
      loads.put(id, new NodeLoad(id, n.capacity(), n.loadOfOtherSets() + (int) ofThisSet, n.labels(), n.ports(),
          usedPorts));
    });
    StoredReplicaSet stored = deleting ? StoredReplicaSet.of(spec).markDeleting() : StoredReplicaSet.of(spec);
    return new ReplicaSetSnapshot(
        NAME, Optional.of(new Versioned<>(stored, SPEC_VERSION)), instances, assignments, loads, recentlyGone,
        crashLoop, spawnsHeld, Map.of());
  }

  /** The mass-loss breaker is open: new copies are held back. */
  ReplicaSetFixture breakerOpen() {
    spawnsHeld = true;
    return this;
  }
}
