package io.shepherd.api;

/** One line of the replica-set list: the counts without the copies. */
public record ReplicaSetSummary(
    String name, int version, int desired, int live, int pending, boolean deleting, int consecutiveFailures) {}
