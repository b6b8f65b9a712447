package io.shepherd.api;

/** Why a rollout is in its state: a named reason that clients and tests match on. */
public enum RolloutReason {
  /** The template changed: a new revision is rolled out. */
  NEW_REVISION,
  /** A user asked for a rolling restart: every copy is replaced without a template change. */
  RESTART,
  /** A user asked to go back to an earlier revision. */
  UNDO,
  /** A user paused it. */
  PAUSED_BY_USER,
  /** Its canary copies run; it waits for {@code promote}. */
  CANARY_WAITING_FOR_PROMOTE,
  /** Every copy runs the target revision and is available. */
  ALL_COPIES_UPDATED,
  /** No new copy became available within {@code progressDeadlineMs}. */
  PROGRESS_DEADLINE_EXCEEDED,
  /** New-revision copies crash-loop. */
  NEW_COPIES_CRASH_LOOP
}
