package io.shepherd.worker.record;

/** Where an assignment is in its life. The leader creates ASSIGNED; the agent moves it on. */
public enum AssignmentState {
  /** Created by the leader; the agent has not started the copy yet. Counts as pending until the launch timeout. */
  ASSIGNED,
  /** The agent started the copy and registered its instance. */
  RUNNING,
  /** The copy ended (or was refused or failed to start); the leader deletes the assignment. */
  EXITED
}
