package io.shepherd.client;

import io.shepherd.api.ReplicaSetStatus;

/**
 * The answer to {@link ShepherdClient#apply}: the replica set as stored, whether the call created it, and the
 * version its {@code ETag} names (pass it as {@code ifMatchVersion} to the next safe update).
 *
 * @param status  the replica set after the write
 * @param created true when the set did not exist before (201), false when it was replaced (200)
 * @param version the stored spec's version
 */
public record Applied(ReplicaSetStatus status, boolean created, int version) {}
