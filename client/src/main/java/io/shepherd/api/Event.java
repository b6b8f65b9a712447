package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * Something that happened, as the event stream reports it.
 *
 * @param id         totally ordered across the cluster (the ZooKeeper transaction id of the change); resume
 *                   after it with {@code Last-Event-ID} or {@code ?since=}
 * @param type       what happened
 * @param time       when, by the clock of the server that saw it
 * @param replicaSet the replica set concerned, if one is
 * @param instance   the copy concerned, if one is
 * @param node       the node concerned, if one is
 * @param message    a line for a person
 * @param by         who caused it, when a request did: the name of the API token (a spec written, scaled or
 *                   deleted, a copy stopped or restarted, a rollout paused, resumed or promoted, a configuration
 *                   value set or deleted, a breaker closed); for the events of a rollout (started, its progress, end,
 *                   failure, revert), who started it; empty for what the cluster did by itself
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record Event(
    long id,
    EventType type,
    Instant time,
    Optional<String> replicaSet,
    Optional<String> instance,
    Optional<String> node,
    String message,
    Optional<String> by) {

  public Event {
    replicaSet = replicaSet == null ? Optional.empty() : replicaSet;
    instance = instance == null ? Optional.empty() : instance;
    node = node == null ? Optional.empty() : node;
    by = by == null ? Optional.empty() : by;
  }

  /** An event that no request caused. */
  public Event(long id, EventType type, Instant time, Optional<String> replicaSet, Optional<String> instance,
      Optional<String> node, String message) {
    this(id, type, time, replicaSet, instance, node, message, Optional.empty());
  }
}
