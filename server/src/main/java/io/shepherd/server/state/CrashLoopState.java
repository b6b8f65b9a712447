package io.shepherd.server.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * The data of {@code /replicasets/{name}/status}, written by the leader: the crash-loop state, kept in ZooKeeper so
 * that a new leader honours the backoff its predecessor started.
 *
 * @param consecutiveFailures copies in a row that exited before their minimum uptime
 * @param nextSpawnAt         no copy is started before this time
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record CrashLoopState(int consecutiveFailures, Optional<Instant> nextSpawnAt) {
  public static final CrashLoopState HEALTHY = new CrashLoopState(0, Optional.empty());

  public CrashLoopState {
    nextSpawnAt = nextSpawnAt == null ? Optional.empty() : nextSpawnAt;
  }

  /** Whether the backoff forbids a spawn at {@code now}. */
  public boolean holdsSpawnsAt(Instant now) {
    return nextSpawnAt.map(now::isBefore).orElse(false);
  }
}
