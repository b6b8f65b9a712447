package io.shepherd.server.state;

import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.worker.record.AssignmentRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What this server wrote and has not yet seen back through the ingest, per replica set, as Kubernetes'
 * {@code ControllerExpectations}: created and deleted assignments, a deleted replica set, and the spec, crash-loop
 * state, rollout and revisions it wrote. Each is kept until the ingest shows it (a version at least as new, the same
 * content, the deletion) or, should that never come, for at most {@link #TTL}. The {@link ClusterView} lays these
 * over what it observed when it is read, so that a decision made right after a commit sees the commit; the observed
 * state itself is written by the ingest alone.
 *
 * <p>Thread-safe: written by the reconcile and REST threads, satisfied by the ingest's thread. Assignments are kept by
 * instance id (ids are never reused), indexed by replica set and by node for the view's reads.
 */
public final class Expectations {
  /** How long an own write that is not seen back is laid over the observed state (normally milliseconds). */
  public static final Duration TTL = Duration.ofSeconds(60);

  private final Clock clock;
  /** Created assignments not yet seen, by instance id. */
  private final Map<String, Expected<AssignmentRecord>> created = new ConcurrentHashMap<>();
  /** Deleted assignments whose deletion is not yet seen: until when, by instance id. */
  private final Map<String, Instant> deleted = new ConcurrentHashMap<>();
  private final Map<String, OfSet> bySet = new ConcurrentHashMap<>();

  /** An own write and until when it is expected. */
  record Expected<T>(T value, Instant until) {
    boolean liveAt(Instant now) {
      return now.isBefore(until);
    }
  }

  /** One replica set's own writes other than assignments. */
  private static final class OfSet {
    Instant deletedUntil;
    Expected<Versioned<StoredReplicaSet>> spec;
    /** Whether {@link #spec} was created by this server (shown even before the set is observed). */
    boolean specCreated;
    Expected<CrashLoopState> crashLoop;
    Expected<Versioned<Rollout>> rollout;
    final Map<Integer, Expected<Revision>> revisions = new HashMap<>();

    boolean isEmpty() {
      return deletedUntil == null && spec == null && crashLoop == null && rollout == null && revisions.isEmpty();
    }
  }

  public Expectations(Clock clock) {
    this.clock = clock;
  }

  private Instant until() {
    return clock.instant().plus(TTL);
  }

  private static boolean live(Expected<?> e, Instant now) {
    return e != null && e.liveAt(now);
  }

  /** Whether nothing is expected: the view reads what it observed as it is. */
  boolean isEmpty() {
    return created.isEmpty() && deleted.isEmpty() && bySet.isEmpty();
  }

  // ---- own writes ----------------------------------------------------------------------------------------------

  void createdAssignment(AssignmentRecord record) {
    deleted.remove(record.instanceId());
    created.put(record.instanceId(), new Expected<>(record, until()));
  }

  void deletedAssignment(String instanceId) {
    created.remove(instanceId);
    deleted.put(instanceId, until());
  }

  synchronized void deletedReplicaSet(String name) {
    OfSet set = bySet.computeIfAbsent(name, k -> new OfSet());
    set.deletedUntil = until();
    set.spec = null;
  }

  synchronized void spec(String name, Versioned<StoredReplicaSet> spec, boolean create) {
    OfSet set = bySet.computeIfAbsent(name, k -> new OfSet());
    if (create) {
      set.deletedUntil = null; // created anew by this server: its deletion is over
    }
    if (set.spec == null || spec.version() >= set.spec.value().version()) {
      set.specCreated = create || (set.spec != null && set.specCreated);
      set.spec = new Expected<>(spec, until());
    }
  }

  synchronized void crashLoop(String name, CrashLoopState state) {
    bySet.computeIfAbsent(name, k -> new OfSet()).crashLoop = new Expected<>(state, until());
  }

  synchronized void rollout(String name, Versioned<Rollout> rollout) {
    OfSet set = bySet.computeIfAbsent(name, k -> new OfSet());
    if (set.rollout == null || rollout.version() >= set.rollout.value().version()) {
      set.rollout = new Expected<>(rollout, until());
    }
  }

  synchronized void revision(String name, Revision revision) {
    bySet.computeIfAbsent(name, k -> new OfSet()).revisions.put(revision.revision(), new Expected<>(revision, until()));
  }

  // ---- seen back (the ingest's thread) -------------------------------------------------------------------------

  /** The ingest showed an assignment: created or changed, or ({@code gone}) deleted. */
  void seenAssignment(String instanceId, boolean gone) {
    created.remove(instanceId);
    if (gone) {
      deleted.remove(instanceId);
    }
  }

  /** The ingest showed the spec at {@code version}, or (empty) its deletion. */
  synchronized void seenSpec(String name, Optional<Integer> version) {
    OfSet set = bySet.get(name);
    if (set == null) {
      return;
    }
    if (version.isEmpty()) {
      set.deletedUntil = null;
    }
    if (set.spec != null && version.map(v -> v >= set.spec.value().version()).orElse(true)) {
      set.spec = null;
    }
  }

  /** The ingest showed the crash-loop state {@code state}, or (empty) its deletion. */
  synchronized void seenCrashLoop(String name, Optional<CrashLoopState> state) {
    OfSet set = bySet.get(name);
    if (set != null && set.crashLoop != null && state.map(set.crashLoop.value()::equals).orElse(true)) {
      set.crashLoop = null;
    }
  }

  synchronized void seenRollout(String name, Optional<Integer> version) {
    OfSet set = bySet.get(name);
    if (set != null && set.rollout != null && version.map(v -> v >= set.rollout.value().version()).orElse(true)) {
      set.rollout = null;
    }
  }

  synchronized void seenRevision(String name, int revision) {
    OfSet set = bySet.get(name);
    if (set != null) {
      set.revisions.remove(revision);
    }
  }

  /**
   * After the whole tree was read: a deletion whose znode the tree lacks is seen back ({@code assignments}: the
   * instance ids of the tree's assignments; {@code specs}: its replica sets).
   */
  synchronized void seenTree(Set<String> assignments, Set<String> specs) {
    deleted.keySet().retainAll(assignments);
    bySet.forEach((name, set) -> {
      if (!specs.contains(name)) {
        set.deletedUntil = null;
      }
    });
  }

  /** Forgets what is past its time. */
  synchronized void expire() {
    Instant now = clock.instant();
    created.values().removeIf(e -> !e.liveAt(now));
    deleted.values().removeIf(until -> !now.isBefore(until));
    bySet.values().forEach(set -> {
      if (set.deletedUntil != null && !now.isBefore(set.deletedUntil)) {
        set.deletedUntil = null;
      }
      set.revisions.values().removeIf(e -> !e.liveAt(now));
      if (!live(set.spec, now)) {
        set.spec = null;
      }
      if (!live(set.crashLoop, now)) {
        set.crashLoop = null;
      }
      if (!live(set.rollout, now)) {
        set.rollout = null;
      }
    });
    bySet.values().removeIf(OfSet::isEmpty);
  }

  // ---- laid over what was observed -----------------------------------------------------------------------------

  Instant now() {
    return clock.instant();
  }

  boolean isAssignmentDeleted(String instanceId, Instant now) {
    Instant until = deleted.get(instanceId);
    return until != null && now.isBefore(until);
  }

  /** The instance ids of assignments deleted and not yet seen gone. */
  List<String> deletedAssignments(Instant now) {
    List<String> ids = new ArrayList<>();
    deleted.forEach((id, until) -> {
      if (now.isBefore(until)) {
        ids.add(id);
      }
    });
    return ids;
  }

  /** Assignments created and not yet seen, of one replica set. */
  List<AssignmentRecord> createdIn(String replicaSet, Instant now) {
    return created(now, a -> a.replicaSet().equals(replicaSet));
  }

  /** Assignments created and not yet seen, on one node. */
  List<AssignmentRecord> createdOn(String nodeId, Instant now) {
    return created(now, a -> a.nodeId().equals(nodeId));
  }

  /** The replica sets of assignments created and not yet seen. */
  Set<String> setsCreatedIn(Instant now) {
    Set<String> sets = new HashSet<>();
    created(now, a -> true).forEach(a -> sets.add(a.replicaSet()));
    return sets;
  }

  /** Assignments created, not yet seen and still within their time, that {@code which} accepts. */
  private List<AssignmentRecord> created(Instant now, Predicate<AssignmentRecord> which) {
    List<AssignmentRecord> found = new ArrayList<>();
    created.values().forEach(e -> {
      if (e.liveAt(now) && which.test(e.value())) {
        found.add(e.value());
      }
    });
    return found;
  }

  synchronized boolean isReplicaSetDeleted(String name) {
    OfSet set = bySet.get(name);
    return set != null && set.deletedUntil != null && clock.instant().isBefore(set.deletedUntil);
  }

  /** The spec as written, if newer than {@code observed}; a replaced spec only over an observed one. */
  synchronized Optional<Versioned<StoredReplicaSet>> spec(String name,
      Optional<Versioned<StoredReplicaSet>> observed) {
    OfSet set = bySet.get(name);
    if (set == null || !live(set.spec, clock.instant()) || (observed.isEmpty() && !set.specCreated)) {
      return observed;
    }
    Versioned<StoredReplicaSet> mine = set.spec.value();
    return observed.isPresent() && observed.get().version() > mine.version() ? observed : Optional.of(mine);
  }

  /** Replica sets whose spec this server created and the view has not seen yet. */
  synchronized Set<String> createdSpecs() {
    Instant now = clock.instant();
    Set<String> names = new HashSet<>();
    bySet.forEach((name, set) -> {
      if (set.specCreated && live(set.spec, now)) {
        names.add(name);
      }
    });
    return names;
  }

  synchronized Optional<CrashLoopState> crashLoop(String name) {
    OfSet set = bySet.get(name);
    return set != null && live(set.crashLoop, clock.instant()) ? Optional.of(set.crashLoop.value()) : Optional.empty();
  }

  synchronized Optional<Versioned<Rollout>> rollout(String name, Optional<Versioned<Rollout>> observed) {
    OfSet set = bySet.get(name);
    if (set == null || !live(set.rollout, clock.instant())) {
      return observed;
    }
    Versioned<Rollout> mine = set.rollout.value();
    return observed.isPresent() && observed.get().version() > mine.version() ? observed : Optional.of(mine);
  }

  synchronized Map<Integer, Revision> revisions(String name) {
    OfSet set = bySet.get(name);
    Map<Integer, Revision> mine = new HashMap<>();
    if (set != null) {
      Instant now = clock.instant();
      set.revisions.forEach((n, e) -> {
        if (e.liveAt(now)) {
          mine.put(n, e.value());
        }
      });
    }
    return mine;
  }
}
