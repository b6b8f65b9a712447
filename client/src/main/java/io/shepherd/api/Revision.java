package io.shepherd.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One revision of a replica set's template (everything but {@code replicas} and {@code rollout}): stored at
 * {@code /replicasets/{name}/revisions/{n}} when the template changes (the last ten are kept), served by
 * {@code GET /replicasets/{name}/revisions}. A revision brought back later (an undo, an automatic revert) keeps its
 * number; each time is recorded in {@code restores}.
 *
 * @param revision  its number, from 1
 * @param template  the spec of that revision (its {@code replicas} and {@code rollout} as they were then)
 * @param createdAt when it was made
 * @param createdBy the principal who made it ({@code anonymous} without authentication)
 * @param cause     why it was made: a template change ({@code NEW_REVISION}) or a rolling restart ({@code RESTART})
 * @param restores  each time it was made the one to run again after it had been replaced, oldest first (the last
 *                  {@link #RESTORES_KEPT}); empty when it never was
 */
public record Revision(int revision, ReplicaSetSpec template, Instant createdAt, String createdBy,
    RolloutReason cause, List<Restore> restores) {
  /** How many restores a revision keeps: the oldest beyond go. */
  public static final int RESTORES_KEPT = 10;

  /** Who a revert the leader made by itself names: no request caused it. */
  public static final String CONTROLLER = "controller";

  public Revision {
    createdBy = createdBy == null ? "anonymous" : createdBy;
    cause = cause == null ? RolloutReason.NEW_REVISION : cause;
    restores = restores == null ? List.of() : List.copyOf(restores);
  }

  /** A revision never brought back. */
  public Revision(int revision, ReplicaSetSpec template, Instant createdAt, String createdBy, RolloutReason cause) {
    this(revision, template, createdAt, createdBy, cause, List.of());
  }

  /** This revision brought back once more by {@code restore} (only the last {@link #RESTORES_KEPT} are kept). */
  public Revision restoredBy(Restore restore) {
    List<Restore> all = new ArrayList<>(restores);
    all.add(restore);
    return new Revision(revision, template, createdAt, createdBy, cause,
        all.subList(Math.max(0, all.size() - RESTORES_KEPT), all.size()));
  }

  /**
   * A revision made the one to run again.
   *
   * @param at           when
   * @param by           who: the caller of an undo, or {@link #CONTROLLER} for an automatic revert
   * @param reason       why: {@code UNDO} for a user's undo; for an automatic revert, why the rollout it ended failed
   *                     ({@code PROGRESS_DEADLINE_EXCEEDED}, {@code NEW_COPIES_CRASH_LOOP})
   * @param fromRevision the revision it replaced
   */
  public record Restore(Instant at, String by, RolloutReason reason, int fromRevision) {
    public Restore {
      by = by == null ? "anonymous" : by;
      reason = reason == null ? RolloutReason.UNDO : reason;
    }
  }
}
