package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import java.util.Optional;

/**
 * What the agent does with an ASSIGNED assignment it has not acted on: a pure decision of its inputs.
 *
 * <p>Every refusal and every deferral names its {@link RefuseReason reason} or {@link DeferReason reason}; the
 * {@code detail} is the human message for logs and, for a refusal, the reason recorded in the assignment.
 */
sealed interface Admission {
  /** Why an assignment is refused for good. */
  enum RefuseReason {
    /** Written by a deposed leader: an older epoch's assignment created after the epoch moved on. */
    STALE_EPOCH,
    /** The node already runs as many copies as its capacity allows. */
    NODE_FULL,
    /** The assignment has no command to start. */
    EMPTY_COMMAND
  }

  /** Why the decision waits for the next event or resync. */
  enum DeferReason {
    /** The assignment is past ASSIGNED: the agent has acted on it already. */
    NOT_ASSIGNED,
    /** The agent is not connected to ZooKeeper: a copy started now could not register. */
    DISCONNECTED,
    /** The controller epoch has not been read yet, or cannot be. */
    EPOCH_UNKNOWN
  }

  /** Start the copy. */
  record Launch() implements Admission {}

  /** Record the assignment as failed with {@code detail}; never start it. */
  record Refuse(RefuseReason reason, String detail) implements Admission {}

  /** Decide later (the next event or resync): the inputs are not known well enough yet. */
  record Defer(DeferReason reason, String detail) implements Admission {}

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
      return new Defer(DeferReason.NOT_ASSIGNED, "not ASSIGNED but " + assignment.state());
    }
    if (!connected) {
      return new Defer(DeferReason.DISCONNECTED, "not connected to ZooKeeper");
    }
    if (currentEpoch.isEmpty()) {
      return new Defer(DeferReason.EPOCH_UNKNOWN, "controller epoch unknown");
    }
    // Older-epoch assignments created before the epoch moved on are a new leader's inheritance (pending copies it
    // counts on); one created after it moved on came from a deposed leader, which the fence should have stopped.
    Epoch epoch = currentEpoch.get();
    if (assignment.epoch() < epoch.value() && createdAtZxid > epoch.setAtZxid()) {
      return new Refuse(RefuseReason.STALE_EPOCH,
          "stale epoch " + assignment.epoch() + " < current epoch " + epoch.value());
    }
    if (copiesOnNode >= capacity) {
      return new Refuse(RefuseReason.NODE_FULL, "node full");
    }
    if (assignment.command().isEmpty()) {
      return new Refuse(RefuseReason.EMPTY_COMMAND, "cannot start: empty command");
    }
    return new Launch();
  }
}
