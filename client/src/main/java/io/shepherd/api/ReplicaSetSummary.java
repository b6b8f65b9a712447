package io.shepherd.api;

import java.util.Optional;

/**
 * One line of the replica-set list: the counts without the copies ({@code ready}: live copies ready for clients),
 * the revision copies should run and the state of its rollout with its progress ({@code rolloutUpdated} copies of
 * the target revision of {@code rolloutDesired}); the three are absent before the leader's first look.
 */
public record ReplicaSetSummary(
    String name, int version, int desired, int live, int pending, int ready, boolean deleting,
    int consecutiveFailures, Integer revision, Optional<RolloutState> rolloutState,
    Optional<Integer> rolloutUpdated, Optional<Integer> rolloutDesired) {

  public ReplicaSetSummary {
    revision = revision == null ? 0 : revision;
    rolloutState = rolloutState == null ? Optional.empty() : rolloutState;
    rolloutUpdated = rolloutUpdated == null ? Optional.empty() : rolloutUpdated;
    rolloutDesired = rolloutDesired == null ? Optional.empty() : rolloutDesired;
  }

  /** A summary with the rollout's state and progress taken from the rollout itself (empty: none yet). */
  public static ReplicaSetSummary of(String name, int version, int desired, int live, int pending, int ready,
      boolean deleting, int consecutiveFailures, Integer revision, Optional<Rollout> rollout) {
    return new ReplicaSetSummary(name, version, desired, live, pending, ready, deleting, consecutiveFailures,
        revision, rollout.map(Rollout::state), rollout.map(Rollout::updated), rollout.map(Rollout::desired));
  }

  /** A summary with a rollout's state but not its progress. */
  public ReplicaSetSummary(String name, int version, int desired, int live, int pending, int ready, boolean deleting,
      int consecutiveFailures, Integer revision, Optional<RolloutState> rolloutState) {
    this(name, version, desired, live, pending, ready, deleting, consecutiveFailures, revision, rolloutState,
        Optional.empty(), Optional.empty());
  }

  /** A summary without revisions. */
  public ReplicaSetSummary(String name, int version, int desired, int live, int pending, int ready, boolean deleting,
      int consecutiveFailures) {
    this(name, version, desired, live, pending, ready, deleting, consecutiveFailures, 0, Optional.empty());
  }

  /** A summary without a ready count (every live copy counted ready). */
  public ReplicaSetSummary(
      String name, int version, int desired, int live, int pending, boolean deleting, int consecutiveFailures) {
    this(name, version, desired, live, pending, live, deleting, consecutiveFailures);
  }
}
