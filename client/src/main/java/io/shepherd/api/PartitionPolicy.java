package io.shepherd.api;

/**
 * What a replica set's copies do while their agent cannot reach ZooKeeper.
 *
 * <p>The CAP choice, per workload: {@link #KEEP_RUNNING} keeps at least N copies through a partition (a
 * replacement may start elsewhere, so briefly more than N may run); {@link #STOP} keeps at most N (the agent
 * stops the copies before the server can expire its session, so briefly fewer than N may run).
 */
public enum PartitionPolicy {
  KEEP_RUNNING,
  STOP
}
