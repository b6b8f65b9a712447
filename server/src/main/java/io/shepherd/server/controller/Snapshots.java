package io.shepherd.server.controller;

import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a replica set's {@link ReplicaSetSnapshot} from a {@link ClusterView}: what the leader decides on, and what a
 * standby's preview decides on. The snapshot is a function of the view and of what the caller adds, nothing else.
 */
final class Snapshots {
  private Snapshots() {}

  /**
   * The snapshot of {@code name}, read under the view's read lock (assignments and instances of one moment), whose
   * node loads are changed by {@code loadChange} and whose nodes' ports include {@code portsTaken}: plans decided but
   * not yet committed. The ports held on each node are read only for a replica set that names ports.
   *
   * @param recentlyGoneNodes nodes gone for less than the controller's grace
   * @param spawnsHeld        whether the mass-loss breaker holds new copies back
   * @param readySince        when this server saw each ready instance become ready, by instance id
   */
  static ReplicaSetSnapshot of(ClusterView view, String name, Set<String> recentlyGoneNodes, boolean spawnsHeld,
      Map<String, Instant> readySince, Map<String, Integer> loadChange, Map<String, Set<Integer>> portsTaken) {
    return view.consistently(() -> read(view, name, recentlyGoneNodes, spawnsHeld, readySince, loadChange,
        portsTaken));
  }

  private static ReplicaSetSnapshot read(ClusterView view, String name, Set<String> recentlyGoneNodes,
      boolean spawnsHeld, Map<String, Instant> readySince, Map<String, Integer> loadChange,
      Map<String, Set<Integer>> portsTaken) {
    Optional<Versioned<StoredReplicaSet>> spec = view.spec(name);
    boolean needsPorts = spec.map(v -> !v.value().spec().ports().isEmpty()).orElse(false);
    Map<String, NodeLoad> nodes = new HashMap<>();
    for (NodeRecord n : view.nodes().values()) {
      int used = Math.max(0, view.assignmentCount(n.id()) + loadChange.getOrDefault(n.id(), 0));
      Set<Integer> usedPorts = Set.of();
      if (needsPorts) {
        usedPorts = new HashSet<>(view.portsInUse(n.id()));
        usedPorts.addAll(portsTaken.getOrDefault(n.id(), Set.of()));
      }
      nodes.put(n.id(), new NodeLoad(n.id(), n.capacity(), used, n.labels(), n.ports(), usedPorts));
    }
    List<Versioned<AssignmentRecord>> assignments = view.versionedAssignments(name);
    List<InstanceRecord> instances = view.instances(name);
    Map<String, Integer> versions = new HashMap<>();
    assignments.forEach(a -> versions.put(a.value().instanceId(), a.version()));
    List<AssignmentRecord> records = assignments.stream().map(Versioned::value).toList();
    Map<String, Instant> ready = new HashMap<>();
    instances.forEach(i -> {
      Instant since = readySince.get(i.id());
      if (since != null) {
        ready.put(i.id(), since);
      }
    });
    return new ReplicaSetSnapshot(name, spec, instances, records, nodes, recentlyGoneNodes, view.crashLoop(name),
        spawnsHeld, versions, view.rollout(name), view.revisions(name), ready);
  }
}
