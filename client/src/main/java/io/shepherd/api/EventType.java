package io.shepherd.api;

/** What an {@link Event} reports. */
public enum EventType {
  /** A copy registered its instance: it runs. */
  INSTANCE_UP,
  /** A copy's instance went away: it exited, was stopped, or its host was lost. */
  INSTANCE_DOWN,
  /** A copy became ready for clients: its readiness probe passes. */
  INSTANCE_READY,
  /** A copy stopped being ready for clients: its readiness probe fails, or its agent is stopping it. */
  INSTANCE_UNREADY,
  /** A copy's agent restarted it in place after it exited: same id and ports, a new process. */
  INSTANCE_RESTARTED,
  /** The leader assigned a new copy to a node. */
  ASSIGNED,
  /**
   * A copy's assignment was deleted: the leader or a user cancelled it and its agent stops the copy, or its copy had
   * ended on its own (as its agent recorded) and the leader cleaned up after it; the message says which.
   */
  STOPPED,
  /** A spec was created or replaced. */
  SPEC_CHANGED,
  /** A replica count changed. */
  SCALED,
  /** A replica set was deleted. */
  REPLICA_SET_DELETED,
  /** An agent registered. */
  NODE_UP,
  /** An agent's registration went away. */
  NODE_DOWN,
  /**
   * An agent's gateway stopped listening on an exposed port, or started again: the port is privileged and the agent
   * not allowed to bind it, or the bind failed (another process holds the port). The message names each port, its
   * set and why.
   */
  GATEWAY_PORTS,
  /** Another server leads, or none does. */
  LEADER_CHANGED,
  /** A replica set crash-loops: the next copy waits for the backoff. */
  CRASH_LOOP,
  /** The mass-loss breaker opened or closed. */
  BREAKER,
  /** A configuration value of a replica set was set or deleted (the event names the key, never the value). */
  CONFIG_CHANGED,
  /** A rollout of a new revision began (a template change, a rolling restart, an undo). */
  ROLLOUT_STARTED,
  /** A rollout moved on a step: copies of the new revision started, became ready or available, old ones stopped. */
  ROLLOUT_PROGRESS,
  /** A rollout paused: by a user, or after its canary copies. */
  ROLLOUT_PAUSED,
  /** Every copy runs the new revision and is available. */
  ROLLOUT_COMPLETE,
  /** A rollout failed: no progress within its deadline, or new copies crash-loop (then it reverts, with autoRevert). */
  ROLLOUT_FAILED,
  /** A failed rollout's revert is done: the last complete revision runs again. */
  ROLLOUT_REVERTED
}
