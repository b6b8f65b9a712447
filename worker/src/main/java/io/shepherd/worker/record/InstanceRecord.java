package io.shepherd.worker.record;

import java.time.Instant;

/**
 * The data of {@code /replicasets/{name}/instances/{id}}, an ephemeral znode whose existence is the copy's
 * liveness.
 *
 * @param id          the instance id (also its assignment's name)
 * @param replicaSet  the replica set
 * @param node        the node running it
 * @param host        that node's host
 * @param pid         the process id
 * @param startedAt   when the process started
 * @param specVersion the spec version it was started from
 */
public record InstanceRecord(
    String id, String replicaSet, String node, String host, long pid, Instant startedAt, int specVersion) {}
