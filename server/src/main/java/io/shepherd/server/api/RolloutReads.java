package io.shepherd.server.api;

import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import java.util.List;
import java.util.Optional;

/** A replica set's rollout and revisions as this server knows them; 404 ({@link ApiException}) for an unknown set. */
public interface RolloutReads {
  /** The rollout in progress or last done; empty before the leader first looked at the replica set. */
  Optional<Rollout> rollout(String name);

  /** The stored revisions, oldest first. */
  List<Revision> revisions(String name);
}
