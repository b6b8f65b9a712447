package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A replica set as the controller sees it: the spec, the counts, the live copies.
 *
 * @param name         the replica set's name
 * @param version      the spec's version; the ETag for safe updates
 * @param spec         what was declared
 * @param desired      the declared count (0 while deleting)
 * @param live         copies whose instance is registered and whose assignment stands
 * @param pending      copies assigned to a node but not yet registered
 * @param ready        live copies that are ready for clients (see {@link Instance#ready()})
 * @param deleting     whether a delete was requested and copies are being stopped
 * @param consecutiveFailures crash-loop state: copies that exited too soon, in a row
 * @param nextSpawnAt  crash-loop state: no copy is started before this time
 * @param instances    the live copies
 * @param message      why copies that should run do not (no node fits, the crash-loop backoff, the mass-loss
 *                     breaker), as the controller's own decision function sees it now
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record ReplicaSetStatus(
    String name,
    int version,
    ReplicaSetSpec spec,
    int desired,
    int live,
    int pending,
    int ready,
    boolean deleting,
    int consecutiveFailures,
    Optional<Instant> nextSpawnAt,
    List<Instance> instances,
    Optional<String> message,
    Integer revision,
    Optional<Rollout> rollout) {

  public ReplicaSetStatus {
    revision = revision == null ? 0 : revision;
    rollout = rollout == null ? Optional.empty() : rollout;
    nextSpawnAt = nextSpawnAt == null ? Optional.empty() : nextSpawnAt;
    message = message == null ? Optional.empty() : message;
    instances = instances == null ? List.of() : List.copyOf(instances);
  }

  /** A status without revisions. */
  public ReplicaSetStatus(String name, int version, ReplicaSetSpec spec, int desired, int live, int pending, int ready,
      boolean deleting, int consecutiveFailures, Optional<Instant> nextSpawnAt, List<Instance> instances,
      Optional<String> message) {
    this(name, version, spec, desired, live, pending, ready, deleting, consecutiveFailures, nextSpawnAt, instances,
        message, 0, Optional.empty());
  }

  /** A status without a ready count (every live copy counted ready). */
  public ReplicaSetStatus(String name, int version, ReplicaSetSpec spec, int desired, int live, int pending,
      boolean deleting, int consecutiveFailures, Optional<Instant> nextSpawnAt, List<Instance> instances,
      Optional<String> message) {
    this(name, version, spec, desired, live, pending, live, deleting, consecutiveFailures, nextSpawnAt, instances,
        message);
  }

  /** The ETag header value for this version. */
  public String etag() {
    return ETags.of(version);
  }
}
