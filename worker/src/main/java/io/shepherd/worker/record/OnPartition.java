package io.shepherd.worker.record;

/** What an agent does with a copy while it cannot reach ZooKeeper. */
public enum OnPartition {
  /** Keep the copy running: at least N copies through a partition. */
  KEEP_RUNNING,
  /** Stop the copy before the session can expire: at most N copies ever. */
  STOP
}
