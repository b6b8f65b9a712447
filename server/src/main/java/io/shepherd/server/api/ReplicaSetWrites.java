package io.shepherd.server.api;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import java.util.OptionalInt;

/**
 * The replica-set writes the API makes. Each is a compare-and-set on the spec's version (the ETag): with
 * {@code ifMatch} the caller's version, without it the current one. Refusals are {@link ApiException}s: 404 for an
 * unknown replica set or copy, 412 when {@code ifMatch} does not match, 409 while the replica set is being deleted.
 * {@code by} is the caller's name (the API token's), stored with what the write changes (the spec, or for a kill
 * without {@code scale} and a restart, the copy's assignment) so that the event it causes says who.
 */
public interface ReplicaSetWrites {
  /** The result of an apply: the stored spec and whether it was created. */
  record Applied(Versioned<StoredReplicaSet> stored, boolean created) {}

  /** Creates the replica set, or replaces its spec (a new revision when its template changed). */
  Applied apply(String name, ReplicaSetSpec spec, OptionalInt ifMatch, String by) throws Exception;

  /** Sets the replica count, keeping the rest of the spec. */
  Versioned<StoredReplicaSet> scale(String name, int replicas, OptionalInt ifMatch, String by) throws Exception;

  /** Marks the replica set deleting: its copies are stopped, then it is removed. */
  Versioned<StoredReplicaSet> delete(String name, OptionalInt ifMatch, String by) throws Exception;

  /**
   * Stops one copy (it is replaced), or, with {@code scale}, stops it and lowers the count by one. A copy already
   * asked to stop is not found (404), so that a repeated kill lowers nothing twice.
   */
  Versioned<StoredReplicaSet> kill(String name, String instanceId, boolean scale, String by) throws Exception;

  /** Asks one copy's agent to restart it in place (same id, same ports): a restart request in its assignment. */
  Versioned<StoredReplicaSet> restart(String name, String instanceId, String by) throws Exception;
}
