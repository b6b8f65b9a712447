package io.shepherd.server.state;

import io.shepherd.api.ReplicaSetSpec;

/**
 * The data of {@code /replicasets/{name}}: the declared spec and whether a delete was requested. Deleting is a
 * flag rather than a znode removal because the copies must be stopped first; the leader removes the znode once
 * none is left.
 */
public record StoredReplicaSet(ReplicaSetSpec spec, boolean deleting) {
  public static StoredReplicaSet of(ReplicaSetSpec spec) {
    return new StoredReplicaSet(spec, false);
  }

  public StoredReplicaSet markDeleting() {
    return new StoredReplicaSet(spec, true);
  }

  /** How many copies should run: the spec's count, or none while deleting. */
  public int desired() {
    return deleting ? 0 : spec.replicas();
  }
}
