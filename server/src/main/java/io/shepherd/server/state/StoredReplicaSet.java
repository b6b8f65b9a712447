package io.shepherd.server.state;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.RolloutReason;
import java.util.Optional;

/**
 * The data of {@code /replicasets/{name}}: the declared spec, whether a delete was requested, what users asked of its
 * rollout, and who changed it last. Deleting is a flag rather than a znode removal because the copies must be stopped
 * first; the leader removes the znode once none is left.
 *
 * @param spec             the declared spec: its template is the one of revision {@code revision}
 * @param deleting         a delete was requested
 * @param revision         the revision copies should run (0 in records written before revisions)
 * @param latestRevision   the highest revision made so far: the next one is this plus one
 * @param changedBy        the principal who made {@code revision} the one to run
 * @param cause            why {@code revision} is the one to run: a new template, a restart, an undo (or the leader's
 *                         automatic revert, which keeps the cause of the rollout that failed)
 * @param paused           a user paused the rollout
 * @param promotedRevision the revision whose canary a user promoted (0: none)
 * @param by               who made the last change over REST (the API token's name), so that the event the change
 *                         causes can say so; empty in data written before tokens existed
 * @param previousRevision the revision copies ran before {@code revision} was made the one to run: where a plain
 *                         undo goes back to (0: not recorded, in data written before it was)
 */
public record StoredReplicaSet(
    ReplicaSetSpec spec,
    boolean deleting,
    int revision,
    int latestRevision,
    String changedBy,
    RolloutReason cause,
    boolean paused,
    int promotedRevision,
    Optional<String> by,
    int previousRevision) {

  public StoredReplicaSet {
    cause = cause == null ? RolloutReason.NEW_REVISION : cause;
    by = by == null ? Optional.empty() : by;
  }

  /** A record as written before the previous revision was recorded. */
  public StoredReplicaSet(ReplicaSetSpec spec, boolean deleting, int revision, int latestRevision, String changedBy,
      RolloutReason cause, boolean paused, int promotedRevision, Optional<String> by) {
    this(spec, deleting, revision, latestRevision, changedBy, cause, paused, promotedRevision, by, 0);
  }

  /** A record as written before tokens existed: nobody named. */
  public StoredReplicaSet(ReplicaSetSpec spec, boolean deleting, int revision, int latestRevision, String changedBy,
      RolloutReason cause, boolean paused, int promotedRevision) {
    this(spec, deleting, revision, latestRevision, changedBy, cause, paused, promotedRevision, Optional.empty());
  }

  /** A spec without revisions. */
  public StoredReplicaSet(ReplicaSetSpec spec, boolean deleting) {
    this(spec, deleting, 0, 0, null, null, false, 0);
  }

  /** A new replica set: revision 1, made by {@code by}. */
  public static StoredReplicaSet created(ReplicaSetSpec spec, String by) {
    return new StoredReplicaSet(spec, false, 1, 1, by, RolloutReason.NEW_REVISION, false, 0, Optional.of(by));
  }

  /** A spec without revisions, as before they existed. */
  public static StoredReplicaSet of(ReplicaSetSpec spec) {
    return new StoredReplicaSet(spec, false);
  }

  /** A spec without revisions, as {@code by} wrote it. */
  public static StoredReplicaSet of(ReplicaSetSpec spec, String by) {
    return new StoredReplicaSet(spec, false).changedLastBy(by);
  }

  public StoredReplicaSet markDeleting() {
    return new StoredReplicaSet(spec, true, revision, latestRevision, changedBy, cause, paused, promotedRevision, by,
        previousRevision);
  }

  /** Marked deleting by {@code who}. */
  public StoredReplicaSet markDeleting(String who) {
    return markDeleting().changedLastBy(who);
  }

  /** This set, its last change made by {@code who}. */
  public StoredReplicaSet changedLastBy(String who) {
    return new StoredReplicaSet(spec, deleting, revision, latestRevision, changedBy, cause, paused, promotedRevision,
        Optional.of(who), previousRevision);
  }

  /** This set with {@code newSpec} whose template is that of the current revision (a scale, a new rollout policy). */
  public StoredReplicaSet withSpec(ReplicaSetSpec newSpec) {
    return new StoredReplicaSet(newSpec, deleting, revision, latestRevision, changedBy, cause, paused,
        promotedRevision, by, previousRevision);
  }

  /**
   * This set running a new revision (the next number) of {@code newSpec}, made by {@code who} for {@code why}. A pause
   * stays (as Kubernetes keeps a paused Deployment paused: several changes, then one rollout); a promotion was for the
   * revision before.
   */
  public StoredReplicaSet newRevision(ReplicaSetSpec newSpec, String who, RolloutReason why) {
    int next = latestRevision + 1;
    return new StoredReplicaSet(newSpec, deleting, next, next, who, why, paused, 0, Optional.of(who), revision);
  }

  /**
   * This set going back to revision {@code old}, whose template is {@code template}'s (its replicas, rollout policy
   * and exposed port stay, as they are not part of the template); a pause stays. The revision it leaves becomes the
   * previous one, so that a second plain undo comes back to it.
   */
  public StoredReplicaSet backTo(int old, ReplicaSetSpec template, String who, RolloutReason why) {
    ReplicaSetSpec restored = template.withReplicas(spec.replicas()).withRollout(spec.rollout())
        .withExpose(spec.expose());
    return new StoredReplicaSet(restored, deleting, old, latestRevision, who, why, paused, 0, Optional.of(who),
        revision);
  }

  public StoredReplicaSet withPaused(boolean newPaused) {
    return new StoredReplicaSet(spec, deleting, revision, latestRevision, changedBy, cause, newPaused,
        promotedRevision, by, previousRevision);
  }

  public StoredReplicaSet promoted() {
    return new StoredReplicaSet(spec, deleting, revision, latestRevision, changedBy, cause, paused, revision, by,
        previousRevision);
  }

  /** How many copies should run: the spec's count, or none while deleting. */
  public int desired() {
    return deleting ? 0 : spec.replicas();
  }
}
