package io.shepherd.server.api;

import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import java.util.OptionalInt;

/**
 * What users ask of a replica set's rollout. Each is a compare-and-set on the spec znode, where user intent lives;
 * the leader acts on it. Refusals are {@link ApiException}s: 404 for an unknown replica set or revision, 409 while it
 * is being deleted or when there is nothing to go back to.
 */
public interface RolloutWrites {
  /** Holds the rollout: no more copies are replaced until {@link #resume}. */
  Versioned<StoredReplicaSet> pause(String name, String who) throws Exception;

  Versioned<StoredReplicaSet> resume(String name, String who) throws Exception;

  /** Lets a rollout paused after its canary copies go on. */
  Versioned<StoredReplicaSet> promote(String name, String who) throws Exception;

  /** Goes back to {@code revision} (absent: the previous one). */
  Versioned<StoredReplicaSet> undo(String name, OptionalInt revision, String who) throws Exception;

  /** Replaces every copy without a template change: a new revision of the same template. */
  Versioned<StoredReplicaSet> restartRollout(String name, String who) throws Exception;
}
