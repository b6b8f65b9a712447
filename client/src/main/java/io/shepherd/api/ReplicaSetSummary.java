package io.shepherd.api;

/** One line of the replica-set list: the counts without the copies ({@code ready}: live copies ready for clients). */
public record ReplicaSetSummary(
    String name, int version, int desired, int live, int pending, int ready, boolean deleting,
    int consecutiveFailures) {

  /** A summary without a ready count (every live copy counted ready). */
  public ReplicaSetSummary(
      String name, int version, int desired, int live, int pending, boolean deleting, int consecutiveFailures) {
    this(name, version, desired, live, pending, live, deleting, consecutiveFailures);
  }
}
