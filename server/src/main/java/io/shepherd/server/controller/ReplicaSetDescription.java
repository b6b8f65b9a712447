package io.shepherd.server.controller;

import io.shepherd.server.state.CrashLoopState;
import io.shepherd.worker.record.InstanceRecord;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the API tells of one replica set, all from one {@link ReplicaSetSnapshot}: its copies by phase (the counts
 * and the live instances) and the plan the reconciler would make (why copies are not running). Two snapshots, read
 * a moment apart, could disagree: a count of 3 live beside "1 copy cannot be scheduled" for the same moment.
 *
 * @param snapshot what was read
 * @param phases   its assignments by phase, classified as the reconciler classifies them
 * @param plan     what the reconciler would decide from it (a preview: nothing is written)
 * @param at       the moment both were decided at
 */
public record ReplicaSetDescription(ReplicaSetSnapshot snapshot, Reconciler.Phases phases, Plan plan, Instant at) {

  /** Describes {@code name} from one snapshot of {@code controller}'s view, at {@code now}. */
  public static ReplicaSetDescription of(Controller controller, String name, Instant now) {
    return of(controller.reconciler(), controller.snapshot(name, now), now);
  }

  /** Describes what {@code snapshot} holds at {@code now}: a pure function of the two. */
  static ReplicaSetDescription of(Reconciler reconciler, ReplicaSetSnapshot snapshot, Instant now) {
    Map<String, InstanceRecord> instances = snapshot.instances().stream()
        .collect(Collectors.toMap(InstanceRecord::id, Function.identity(), (a, b) -> a));
    // The nodes whose pending copies are waited for, as Reconciler.reconcile counts them.
    Set<String> awaited = new HashSet<>(snapshot.nodes().keySet());
    awaited.addAll(snapshot.recentlyGoneNodes());
    Reconciler.Phases phases =
        reconciler.classify(snapshot.assignments(), instances, awaited, now);
    return new ReplicaSetDescription(snapshot, phases, reconciler.reconcile(snapshot, now), now);
  }

  /** Its crash-loop state as read. */
  public CrashLoopState crashLoop() {
    return snapshot.crashLoop();
  }

  /** Why copies that should run do not, if they do not: the plan's unschedulable copies, or a crash-loop backoff. */
  public Optional<String> whyNotRunning() {
    if (plan.unschedulable().isPresent()) {
      Plan.Unschedulable u = plan.unschedulable().get();
      return Optional.of(u.copies() + (u.copies() == 1 ? " copy" : " copies") + " cannot be scheduled: " + u.reason());
    }
    CrashLoopState crashLoop = snapshot.crashLoop();
    if (crashLoop.holdsSpawnsAt(at)) {
      return Optional.of("crash-loop backoff: the next copy starts at " + crashLoop.nextSpawnAt().orElseThrow());
    }
    return Optional.empty();
  }
}
