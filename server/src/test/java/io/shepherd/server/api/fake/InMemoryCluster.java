package io.shepherd.server.api.fake;

import io.shepherd.api.LeaderInfo;
import io.shepherd.api.Node;
import io.shepherd.server.api.ClusterInfo;
import io.shepherd.server.api.CopyLocator;
import io.shepherd.server.api.ReadModels;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RefusedPort;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Nodes and leadership in memory, around {@link InMemoryReplicaSets} for the copies: a node's use is the number of
 * copies on it, and a copy's node is found live or exited, as the cluster view finds it.
 */
public final class InMemoryCluster implements ClusterInfo, CopyLocator {
  private final InMemoryReplicaSets replicaSets;
  private final Map<String, NodeRecord> nodes = new TreeMap<>();
  private final String self;
  private Optional<String> leader = Optional.empty();
  private long epoch;

  public InMemoryCluster(InMemoryReplicaSets replicaSets, String self) {
    this.replicaSets = replicaSets;
    this.self = self;
  }

  /** Registers a node, as its agent would. */
  public synchronized NodeRecord addNode(String id, int capacity, Map<String, String> labels,
      Optional<String> logsUrl) {
    NodeRecord node = new NodeRecord(id, id + ".example", capacity, labels, logsUrl,
        Instant.parse("2026-01-01T00:00:00Z"));
    nodes.put(id, node);
    return node;
  }

  /** Records the exposed ports {@code id}'s gateway does not listen on, as its agent would. */
  public synchronized void refuses(String id, List<RefusedPort> refused) {
    nodes.computeIfPresent(id, (k, n) -> n.withRefusedPorts(refused));
  }

  public synchronized void removeNode(String id) {
    nodes.remove(id);
  }

  /** Makes {@code id} the leader at {@code newEpoch}. */
  public synchronized void elect(String id, long newEpoch) {
    leader = Optional.of(id);
    epoch = newEpoch;
  }

  @Override
  public synchronized List<Node> nodes() {
    return nodes.values().stream()
        .map(n -> ReadModels.node(n, replicaSets.copiesOn(n.id()).size()))
        .toList();
  }

  @Override
  public synchronized LeaderInfo leader() {
    return new LeaderInfo(leader, self, leader.filter(self::equals).isPresent(), epoch);
  }

  @Override
  public Optional<String> nodeOf(String replicaSet, String instanceId) {
    return replicaSets.copy(replicaSet, instanceId).map(c -> c.instance().node());
  }

  @Override
  public boolean knows(String replicaSet) {
    return replicaSets.hasCopiesOrSpec(replicaSet);
  }

  @Override
  public synchronized Optional<NodeRecord> node(String nodeId) {
    return Optional.ofNullable(nodes.get(nodeId));
  }
}
