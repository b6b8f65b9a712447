package io.shepherd.api;

import java.time.Instant;

/**
 * One revision of a replica set's template (everything but {@code replicas} and {@code rollout}): stored at
 * {@code /replicasets/{name}/revisions/{n}} when the template changes (the last ten are kept), served by
 * {@code GET /replicasets/{name}/revisions}.
 *
 * @param revision  its number, from 1
 * @param template  the spec of that revision (its {@code replicas} and {@code rollout} as they were then)
 * @param createdAt when it was made
 * @param createdBy the principal who made it ({@code anonymous} without authentication)
 * @param cause     why it was made: a template change ({@code NEW_REVISION}) or a rolling restart ({@code RESTART})
 */
public record Revision(int revision, ReplicaSetSpec template, Instant createdAt, String createdBy,
    RolloutReason cause) {
  public Revision {
    createdBy = createdBy == null ? "anonymous" : createdBy;
    cause = cause == null ? RolloutReason.NEW_REVISION : cause;
  }
}
