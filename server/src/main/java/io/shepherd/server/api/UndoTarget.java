package io.shepherd.server.api;

import io.shepherd.server.controller.RevisionHistory;
import io.shepherd.server.state.StoredReplicaSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Which revision an undo goes back to: the one it names, or, without one, the revision that ran before the current
 * one (as Kubernetes' {@code rollout undo} does: undoing 2 → 1, then undoing again, comes back to 2). A pure decision
 * of the stored replica set and the numbers of the stored revisions; a refusal is an {@link ApiException}.
 */
final class UndoTarget {
  private UndoTarget() {}

  /**
   * The revision to go back to.
   *
   * @throws ApiException 409 when it is the current one, or when nothing ran before the current revision; 404 naming
   *                      {@code revision} when it is not stored
   */
  static int of(String name, StoredReplicaSet current, OptionalInt asked, Set<Integer> stored) {
    int to;
    if (asked.isPresent()) {
      to = asked.getAsInt();
    } else if (current.previousRevision() > 0) {
      to = current.previousRevision();
    } else {
      // A record written before the previous revision was: the newest stored revision older than the current.
      to = stored.stream().mapToInt(Integer::intValue).filter(r -> r < current.revision()).max()
          .orElseThrow(() -> ApiException.conflict("replica set " + name + " has no revision before "
              + current.revision() + " to go back to"));
    }
    if (to == current.revision()) {
      throw ApiException.conflict("replica set " + name + " already runs revision " + to);
    }
    if (!stored.contains(to)) {
      throw new ApiException(404, "revision " + to + " of replica set " + name + " is not stored (the last "
          + RevisionHistory.KEPT + " are kept)", Optional.of("revision"));
    }
    return to;
  }
}
