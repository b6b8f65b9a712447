package io.shepherd.server.state;

import io.shepherd.api.ReplicaSetSpec;
import java.util.Optional;

/**
 * The data of {@code /replicasets/{name}}: the declared spec and whether a delete was requested. Deleting is a
 * flag rather than a znode removal because the copies must be stopped first; the leader removes the znode once
 * none is left.
 *
 * @param by who made the last change over REST (the API token's name), so that the event the change causes can say
 *           so; empty in data written before tokens existed
 */
public record StoredReplicaSet(ReplicaSetSpec spec, boolean deleting, Optional<String> by) {
  public StoredReplicaSet {
    by = by == null ? Optional.empty() : by;
  }

  public StoredReplicaSet(ReplicaSetSpec spec, boolean deleting) {
    this(spec, deleting, Optional.empty());
  }

  public static StoredReplicaSet of(ReplicaSetSpec spec) {
    return new StoredReplicaSet(spec, false);
  }

  /** The spec as {@code by} wrote it. */
  public static StoredReplicaSet of(ReplicaSetSpec spec, String by) {
    return new StoredReplicaSet(spec, false, Optional.of(by));
  }

  public StoredReplicaSet markDeleting() {
    return new StoredReplicaSet(spec, true, by);
  }

  /** Marked deleting by {@code by}. */
  public StoredReplicaSet markDeleting(String by) {
    return new StoredReplicaSet(spec, true, Optional.of(by));
  }

  /** How many copies should run: the spec's count, or none while deleting. */
  public int desired() {
    return deleting ? 0 : spec.replicas();
  }
}
