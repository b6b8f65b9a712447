package io.shepherd.api;

import java.util.Optional;

/**
 * One line of the replica-set list: the counts without the copies ({@code ready}: live copies ready for clients),
 * the revision copies should run and the state of its rollout (absent before the leader's first look).
 */
public record ReplicaSetSummary(
    String name, int version, int desired, int live, int pending, int ready, boolean deleting,
    int consecutiveFailures, Integer revision, Optional<RolloutState> rolloutState) {

  public ReplicaSetSummary {
    revision = revision == null ? 0 : revision;
    rolloutState = rolloutState == null ? Optional.empty() : rolloutState;
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
