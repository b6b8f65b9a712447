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

/**
 * What this server wrote and has not yet seen back through the ingest, per replica set, as Kubernetes'
 * {@code ControllerExpectations}: created assignments, deleted znodes, and the spec, crash-loop state, rollout and
 * revisions it wrote. Each is kept until the ingest shows it (a version at least as new, the same content, the
 * deletion) or, should that never come, for at most {@link #TTL}. The {@link ClusterView} lays these over what it
 * observed when it is read, so that a decision made right after a commit sees the commit; the observed state itself
 * is written by the ingest alone.
 *
 * <p>Thread-safe: written by the reconcile and REST threads, satisfied by the ingest's thread.
 */
public final class Expectations {
  /** How long an own write that is not seen back is laid over the observed state (normally milliseconds). */
  public static final Duration TTL = Duration.ofSeconds(60);

  private final Clock clock;
  private final Map<String, OfSet> bySet = new HashMap<>();

  /** An own write and until when it is expected. */
  record Expected<T>(T value, Instant until) {}

  /** One replica set's expectations; the paths are the znodes'. */
  private static final class OfSet {
    final Map<String, Expected<AssignmentRecord>> created = new HashMap<>();
    final Map<String, Instant> deleted = new HashMap<>();
    Expected<Versioned<StoredReplicaSet>> spec;
    /** Whether {@link #spec} was created by this server (shown even before the set is observed). */
    boolean specCreated;
    Expected<CrashLoopState> crashLoop;
    Expected<Versioned<Rollout>> rollout;
    final Map<Integer, Expected<Revision>> revisions = new HashMap<>();

    boolean isEmpty() {
      return created.isEmpty() && deleted.isEmpty() && spec == null && crashLoop == null && rollout == null
          && revisions.isEmpty();
    }
  }

  public Expectations(Clock clock) {
    this.clock = clock;
  }

  private Instant until() {
    return clock.instant().plus(TTL);
  }

  private OfSet of(String replicaSet) {
    return bySet.computeIfAbsent(replicaSet, k -> new OfSet());
  }

  private static boolean live(Expected<?> e, Instant now) {
    return e != null && now.isBefore(e.until());
  }

  // ---- own writes ----------------------------------------------------------------------------------------------

  synchronized void created(String path, AssignmentRecord record) {
    OfSet set = of(record.replicaSet());
    set.deleted.remove(path);
    set.created.put(path, new Expected<>(record, until()));
  }

  synchronized void deleted(String replicaSet, String path) {
    OfSet set = of(replicaSet);
    set.created.remove(path);
    set.deleted.put(path, until());
  }

  /** {@code path} created anew by this server: a deletion of it still expected is over. */
  synchronized void recreated(String replicaSet, String path) {
    OfSet set = bySet.get(replicaSet);
    if (set != null) {
      set.deleted.remove(path);
    }
  }

  synchronized void spec(String name, Versioned<StoredReplicaSet> spec, boolean created) {
    OfSet set = of(name);
    if (set.spec == null || spec.version() >= set.spec.value().version()) {
      set.spec = new Expected<>(spec, until());
      set.specCreated = created || (set.specCreated && live(set.spec, clock.instant()));
    }
  }

  synchronized void crashLoop(String name, CrashLoopState state) {
    of(name).crashLoop = new Expected<>(state, until());
  }

  synchronized void rollout(String name, Versioned<Rollout> rollout) {
    OfSet set = of(name);
    if (set.rollout == null || rollout.version() >= set.rollout.value().version()) {
      set.rollout = new Expected<>(rollout, until());
    }
  }

  synchronized void revision(String name, Revision revision) {
    of(name).revisions.put(revision.revision(), new Expected<>(revision, until()));
  }

  // ---- seen back (the ingest's thread) -------------------------------------------------------------------------

  synchronized void seenAssignment(String replicaSet, String path, boolean deleted) {
    OfSet set = bySet.get(replicaSet);
    if (set != null) {
      set.created.remove(path);
      if (deleted) {
        set.deleted.remove(path);
      }
    }
  }

  /** A deletion of {@code path} seen, of whatever replica set: assignments are deleted by path. */
  synchronized void seenDeleted(String path) {
    bySet.values().forEach(set -> {
      set.deleted.remove(path);
      set.created.remove(path);
    });
  }

  synchronized void seenSpec(String name, Optional<Integer> version) {
    OfSet set = bySet.get(name);
    if (set != null && set.spec != null && version.map(v -> v >= set.spec.value().version()).orElse(true)) {
      set.spec = null;
    }
  }

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

  /** After the whole tree was read: a deletion whose znode the tree lacks is seen back. */
  synchronized void seenTree(Set<String> paths) {
    bySet.values().forEach(set -> set.deleted.keySet().removeIf(p -> !paths.contains(p)));
  }

  /** Forgets what is past its time. */
  synchronized void expire() {
    Instant now = clock.instant();
    bySet.values().forEach(set -> {
      set.created.values().removeIf(e -> !live(e, now));
      set.deleted.values().removeIf(until -> !now.isBefore(until));
      set.revisions.values().removeIf(e -> !live(e, now));
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

  /** Whether nothing is expected: the view reads what it observed as it is. */
  synchronized boolean isEmpty() {
    return bySet.isEmpty();
  }

  synchronized boolean isDeleted(String replicaSet, String path) {
    OfSet set = bySet.get(replicaSet);
    Instant until = set == null ? null : set.deleted.get(path);
    return until != null && clock.instant().isBefore(until);
  }

  /** Every path expected deleted, of every replica set. */
  synchronized Set<String> deletedPaths() {
    Instant now = clock.instant();
    Set<String> paths = new HashSet<>();
    bySet.values().forEach(set -> set.deleted.forEach((p, until) -> {
      if (now.isBefore(until)) {
        paths.add(p);
      }
    }));
    return paths;
  }

  /** Created assignments not yet seen, of one replica set (or of all: {@code null}), by path. */
  synchronized Map<String, AssignmentRecord> createdAssignments(String replicaSet) {
    Instant now = clock.instant();
    Map<String, AssignmentRecord> created = new HashMap<>();
    List<OfSet> sets = new ArrayList<>();
    if (replicaSet == null) {
      sets.addAll(bySet.values());
    } else if (bySet.containsKey(replicaSet)) {
      sets.add(bySet.get(replicaSet));
    }
    sets.forEach(set -> set.created.forEach((p, e) -> {
      if (live(e, now)) {
        created.put(p, e.value());
      }
    }));
    return created;
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
        if (live(e, now)) {
          mine.put(n, e.value());
        }
      });
    }
    return mine;
  }
}
