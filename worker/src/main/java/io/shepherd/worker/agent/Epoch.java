package io.shepherd.worker.agent;

/**
 * The controller epoch as the agent last read it.
 *
 * @param value   the epoch number
 * @param setAtZxid the ZooKeeper transaction that set it (0 when {@code /epoch} does not exist)
 */
record Epoch(long value, long setAtZxid) {}
