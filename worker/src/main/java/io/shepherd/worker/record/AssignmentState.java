package io.shepherd.worker.record;

/** Where an assignment is in its life. The leader creates ASSIGNED; the agent moves it on. */
public enum AssignmentState {
  /** Created by the leader; the agent has not started the copy yet. Counts as pending until the launch timeout. */
  ASSIGNED,
  /** The agent started the copy and registered its instance. */
  RUNNING,
  /**
   * The copy exited and its agent restarts it in place at {@code nextStartAt}: neither live nor dead. Counts as
   * pending until its next start plus the launch timeout.
   */
  BACKOFF,
  /** The copy ended (or was refused or failed to start, or was given back); the leader deletes the assignment. */
  EXITED
}
