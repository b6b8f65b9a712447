package io.shepherd.server.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Times the leader's replacements of dead copies ({@code shepherd_replacement_seconds{scope="reschedule"}}) on this
 * server's one clock: from when its view learned that a copy was dead to when its view shows the copy that replaces
 * it registered, running. Bookkeeping only: every time is given by the caller, nothing is read or written here.
 *
 * <p>A copy is <em>lost</em> when the view shows its assignment without its instance (a node lost, a copy given back
 * by its agent, a copy waiting out its backoff). When the leader commits a plan that deletes dead copies of a set
 * that still wants copies, each one's loss is <em>owed</em> a replacement; the copies the same plan or a later one
 * starts for that set take the oldest losses owed, one each. A replacement that dies before it registers hands its
 * loss on to the next; a loss that the set no longer needs replaced (scaled down, deleted, whole again) is dropped
 * untimed. A server that becomes leader times the losses its own view saw, also those seen before it led; the
 * replacements its predecessor started are not its own and are not timed. A replacement whose registration the
 * ingest applied before the reconcile loop reported the commit that created it (the agent would have to start and
 * register the copy between the commit's answer and the loop's next step) is not timed either. Thread-safe: the
 * ingest thread and the reconcile thread both call it.
 */
final class ReplacementLedger {
  /** A replacement seen registered: {@code took} after the loss it replaces. */
  record Replaced(String replicaSet, Duration took) {}

  private record Owed(String replicaSet, Instant lostAt) {}

  /** By instance id: when the view first showed the copy's assignment without its instance. */
  private final Map<String, Instant> lostAt = new HashMap<>();
  /** By replica set: losses deleted by the leader and not yet given a replacement, oldest first. */
  private final Map<String, List<Instant>> owed = new HashMap<>();
  /** By the replacement's instance id: the loss it replaces. */
  private final Map<String, Owed> replacing = new HashMap<>();

  /** The view shows the copy's assignment without its instance, at {@code at} (the first such sight counts). */
  synchronized void lost(String instanceId, Instant at) {
    lostAt.putIfAbsent(instanceId, at);
  }

  /**
   * The view shows the copy's instance, at {@code at}: alive (again). If it replaces a loss, how long that took.
   */
  synchronized Optional<Replaced> registered(String instanceId, Instant at) {
    lostAt.remove(instanceId);
    Owed o = replacing.remove(instanceId);
    if (o == null) {
      return Optional.empty();
    }
    Duration took = Duration.between(o.lostAt(), at);
    return Optional.of(new Replaced(o.replicaSet(), took.isNegative() ? Duration.ZERO : took));
  }

  /** The copy's assignment is gone from the view. */
  synchronized void gone(String instanceId) {
    lostAt.remove(instanceId);
    replacing.remove(instanceId);
  }

  /** After the view read the whole tree again: forgets every copy not in {@code assigned} (instance ids). */
  synchronized void retain(Set<String> assigned) {
    lostAt.keySet().retainAll(assigned);
    replacing.keySet().retainAll(assigned);
  }

  /**
   * The leader committed a plan for a replica set that still wants copies.
   *
   * @param cleanedUp   instance ids of the dead copies it deleted: each loss is owed a replacement (a copy with no
   *                    loss seen, one that never registered or was stopped over REST, is lost at {@code decidedAt})
   * @param stopped     instance ids of the copies it stops: a replacement among them is no longer owed one
   * @param started     instance ids of the copies it starts: each takes the oldest loss owed, while there is one
   * @param moreToStart whether the set still lacks copies after the plan; if not, losses still owed are dropped
   * @param decidedAt   when the plan was decided
   */
  synchronized void planned(String replicaSet, List<String> cleanedUp, List<String> stopped, List<String> started,
      boolean moreToStart, Instant decidedAt) {
    List<Instant> queue = new ArrayList<>(owed.getOrDefault(replicaSet, List.of()));
    for (String id : cleanedUp) {
      Owed handedOn = replacing.remove(id);
      Instant seen = lostAt.remove(id);
      queue.add(handedOn != null ? handedOn.lostAt() : seen != null ? seen : decidedAt);
    }
    stopped.forEach(id -> {
      replacing.remove(id);
      lostAt.remove(id);
    });
    queue.sort(null);
    int paired = 0;
    for (String id : started) {
      if (paired == queue.size()) {
        break;
      }
      replacing.put(id, new Owed(replicaSet, queue.get(paired++)));
    }
    List<Instant> left = moreToStart ? new ArrayList<>(queue.subList(paired, queue.size())) : List.of();
    if (left.isEmpty()) {
      owed.remove(replicaSet);
    } else {
      owed.put(replicaSet, left);
    }
  }

  /** The replica set is being deleted or gone: nothing of it is replaced. */
  synchronized void forget(String replicaSet) {
    owed.remove(replicaSet);
    replacing.values().removeIf(o -> o.replicaSet().equals(replicaSet));
  }

  /** Losses of {@code replicaSet} owed a replacement not yet started, for tests. */
  synchronized int owed(String replicaSet) {
    return owed.getOrDefault(replicaSet, List.of()).size();
  }

  /** Replacements started and not yet registered, for tests. */
  synchronized int replacing() {
    return replacing.size();
  }
}
