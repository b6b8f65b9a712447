package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import java.util.Optional;

/**
 * What the agent does with an ASSIGNED assignment it has not acted on: a pure decision of its inputs.
 */
sealed interface Admission {
  /** Start the copy. */
  record Launch() implements Admission {}

  /** Record the assignment as failed with {@code reason}; never start it. */
  record Refuse(String reason) implements Admission {}

  /** Decide later (the next event or resync): the inputs are not known well enough yet. */
  record Defer(String reason) implements Admission {}

  /**
   * @param assignment    an assignment of this node
   * @param createdAtZxid the ZooKeeper transaction that created the assignment
   * @param currentEpoch  the controller epoch, empty while unknown (not read yet, or unreadable)
   * @param copiesOnNode  the copies this agent runs now, stopping ones included (they still hold resources)
   * @param capacity      the node's capacity
   * @param connected     whether the agent is connected to ZooKeeper (a copy started now could not register)
   */
  static Admission decide(
      AssignmentRecord assignment, long createdAtZxid, Optional<Epoch> currentEpoch, int copiesOnNode, int capacity,
      boolean connected) {
    if (assignment.state() != AssignmentState.ASSIGNED) {
      return new Defer("not ASSIGNED but " + assignment.state());
    }
    if (!connected) {
      return new Defer("not connected to ZooKeeper");
    }
    if (currentEpoch.isEmpty()) {
      return new Defer("controller epoch unknown");
    }
    // Older-epoch assignments created before the epoch moved on are a new leader's inheritance (pending copies it
    // counts on); one created after it moved on came from a deposed leader, which the fence should have stopped.
    Epoch epoch = currentEpoch.get();
    if (assignment.epoch() < epoch.value() && createdAtZxid > epoch.setAtZxid()) {
      return new Refuse("stale epoch " + assignment.epoch() + " < current epoch " + epoch.value());
    }
    if (copiesOnNode >= capacity) {
      return new Refuse("node full");
    }
    if (assignment.command().isEmpty()) {
      return new Refuse("cannot start: empty command");
    }
    return new Launch();
  }
}
