package io.shepherd.server.controller;

import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.AssignmentRecord;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the reconciler decided for one replica set. The executor turns it into one fenced transaction.
 *
 * @param replicaSet    the replica set
 * @param specVersion   the spec version the decision was made from
 * @param starts        the copies to assign: each one's node, instance id and ports
 * @param stop          assignments of running or pending copies to cancel (their agents stop them)
 * @param cleanUp       assignments of dead copies to delete (nothing runs)
 * @param crashLoop     the crash-loop state to store, when it changes
 * @param removeReplicaSet whether the replica set was deleted and nothing of it is left, so its znodes go
 * @param unschedulable copies that should start but have no node, with why
 * @param requeueAfter  when to look again even if nothing changes (a backoff or launch timeout ends)
 * @param rollout       the rollout to store, when it changes
 * @param revert        the replica set to store instead of the one decided from (at {@code specVersion}): a failed
 *                      rollout going back to the last complete revision
 * @param restored      with {@code revert}: the record of the revision gone back to, with this revert added to its
 *                      restores, written in the same transaction
 */
public record Plan(
    String replicaSet,
    int specVersion,
    List<Start> starts,
    List<AssignmentRecord> stop,
    List<AssignmentRecord> cleanUp,
    Optional<CrashLoopState> crashLoop,
    boolean removeReplicaSet,
    Optional<Unschedulable> unschedulable,
    Optional<Duration> requeueAfter,
    Optional<Rollout> rollout,
    Optional<StoredReplicaSet> revert,
    Optional<Revision> restored) {

  /** A plan that leaves the rollout as it is. */
  public Plan(String replicaSet, int specVersion, List<Start> starts, List<AssignmentRecord> stop,
      List<AssignmentRecord> cleanUp, Optional<CrashLoopState> crashLoop, boolean removeReplicaSet,
      Optional<Unschedulable> unschedulable, Optional<Duration> requeueAfter) {
    this(replicaSet, specVersion, starts, stop, cleanUp, crashLoop, removeReplicaSet, unschedulable, requeueAfter,
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  public Plan {
    starts = List.copyOf(starts);
    stop = List.copyOf(stop);
    cleanUp = List.copyOf(cleanUp);
  }

  /**
   * A copy to assign.
   *
   * @param nodeId     where it runs
   * @param instanceId its id
   * @param ports      the ports picked for it from its node's range, by the spec's port names in their order
   */
  public record Start(String nodeId, String instanceId, Map<String, Integer> ports) {
    public Start {
      ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    }
  }

  /** The node of each copy to assign, in order. */
  public List<String> startOn() {
    return starts.stream().map(Start::nodeId).toList();
  }

  /** Copies that should run but fit on no node. */
  public record Unschedulable(int copies, String reason) {}

  /** Whether the plan writes anything. */
  public boolean writes() {
    return !starts.isEmpty() || !stop.isEmpty() || !cleanUp.isEmpty() || crashLoop.isPresent() || removeReplicaSet
        || rollout.isPresent() || revert.isPresent();
  }
}
