package io.shepherd.server.controller;

import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the reconciler may look at for one replica set, read from the view at one moment.
 *
 * @param name        the replica set
 * @param spec        its stored spec and version; empty when the znode is gone
 * @param instances   its registered instances (live copies, and copies being stopped)
 * @param assignments its assignments, on every node
 * @param nodes       every live node, by id, with its load across all replica sets
 * @param recentlyGoneNodes nodes gone for less than the controller's grace: maybe re-registering under a new
 *                    session, so their pending copies are still waited for (no copy is placed on them)
 * @param crashLoop   its crash-loop state
 * @param spawnsHeld  whether the mass-loss breaker holds new copies back
 * @param assignmentVersions the znode version of each assignment as read with it, by instance id: the executor
 *                    deletes an assignment only if it is still what was decided on (absent: any version)
 * @param rollout     its rollout as stored, with the znode's version; empty before the first
 * @param revisions   its stored revisions, by number
 * @param readySince  when this server saw each ready instance become ready, by instance id
 */
public record ReplicaSetSnapshot(
    String name,
    Optional<Versioned<StoredReplicaSet>> spec,
    List<InstanceRecord> instances,
    List<AssignmentRecord> assignments,
    Map<String, NodeLoad> nodes,
    Set<String> recentlyGoneNodes,
    CrashLoopState crashLoop,
    boolean spawnsHeld,
    Map<String, Integer> assignmentVersions,
    Optional<Versioned<Rollout>> rollout,
    Map<Integer, Revision> revisions,
    Map<String, Instant> readySince) {

  public ReplicaSetSnapshot {
    revisions = Map.copyOf(revisions);
    readySince = Map.copyOf(readySince);
    instances = List.copyOf(instances);
    assignments = List.copyOf(assignments);
    nodes = Map.copyOf(nodes);
    recentlyGoneNodes = Set.copyOf(recentlyGoneNodes);
    assignmentVersions = Map.copyOf(assignmentVersions);
  }

  /** A snapshot without a rollout, revisions or readiness times. */
  public ReplicaSetSnapshot(String name, Optional<Versioned<StoredReplicaSet>> spec, List<InstanceRecord> instances,
      List<AssignmentRecord> assignments, Map<String, NodeLoad> nodes, Set<String> recentlyGoneNodes,
      CrashLoopState crashLoop, boolean spawnsHeld, Map<String, Integer> assignmentVersions) {
    this(name, spec, instances, assignments, nodes, recentlyGoneNodes, crashLoop, spawnsHeld, assignmentVersions,
        Optional.empty(), Map.of(), Map.of());
  }
}
