package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutPolicy;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.LastExit;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.RestartWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rolling-update step inside a reconcile: what the reconciler feeds it from a snapshot, and what the plan says. */
class ReconcilerRolloutTest {
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final ReplicaSetSpec V1 = ReplicaSetSpec.of(3, List.of("sleep", "100000"));
  private static final ReplicaSetSpec V2 = ReplicaSetSpec.of(3, List.of("sleep", "200000"));

  private final Reconciler reconciler = new Reconciler(Duration.ofSeconds(30));
  private final List<AssignmentRecord> assignments = new ArrayList<>();
  private final List<InstanceRecord> instances = new ArrayList<>();
  private final Map<String, Instant> readySince = new HashMap<>();
  private int serial;

  private AssignmentRecord assigned(int revision) {
    String id = "web-" + (serial++);
    return AssignmentRecord.assigned(id, "web", "node-a", V1.command(), Map.of(), Optional.empty(), 1_000,
        OnPartition.KEEP_RUNNING, 7, 1, NOW.minusSeconds(600)).withRevision(revision);
  }

  /** A copy of {@code revision} running for ten minutes, ready (since {@code readyFor} ago) or not. */
  private void running(int revision, boolean ready, Duration readyFor) {
    AssignmentRecord a = assigned(revision).running(100 + serial, NOW.minusSeconds(600));
    assignments.add(a);
    instances.add(new InstanceRecord(a.instanceId(), "web", "node-a", "127.0.0.1", a.pid(), NOW.minusSeconds(600), 7,
        Map.of(), ready, revision));
    if (ready) {
      readySince.put(a.instanceId(), NOW.minus(readyFor));
    }
  }

  private static final Rollout PROGRESSING = new Rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION,
      "", 3, 0, 0, 0, 3, 1, Optional.empty(), "alice", NOW.minusSeconds(1), NOW.minusSeconds(1), Optional.empty());

  private Plan reconcile(RolloutPolicy policy) {
    return reconcile(policy, PROGRESSING);
  }

  private Plan reconcile(RolloutPolicy policy, Rollout rollout) {
    StoredReplicaSet stored = new StoredReplicaSet(V2.withRollout(policy), false, 2, 2, "alice",
        RolloutReason.NEW_REVISION, false, 0);
    Map<Integer, Revision> revisions = Map.of(1, new Revision(1, V1, NOW.minusSeconds(3600), "bob", null),
        2, new Revision(2, V2, NOW.minusSeconds(1), "alice", null));
    ReplicaSetSnapshot s = new ReplicaSetSnapshot("web", Optional.of(new Versioned<>(stored, 7)), instances,
        assignments, Map.of("node-a", new NodeLoad("node-a", 100, assignments.size(), Map.of())), Set.of(),
        CrashLoopState.HEALTHY, false, Map.of(), Optional.of(new Versioned<>(rollout, 3)), revisions,
        readySince);
    return reconciler.reconcile(s, NOW);
  }

  @Test
  void aNewRevisionStartsOneSurgeCopyAndWritesNoRolloutWhoseCountsDidNotChange() {
    for (int i = 0; i < 3; i++) {
      running(1, true, Duration.ofMinutes(5));
    }

    Plan plan = reconcile(RolloutPolicy.DEFAULT.withBounds("1", "0"));

    assertThat(plan.starts()).hasSize(1);
    assertThat(plan.stop()).isEmpty();
    assertThat(plan.rollout()).as("the stored counts are the counts").isEmpty();
    assertThat(plan.revert()).isEmpty();
  }

  @Test
  void aNewCopyReadyForLessThanMinReadyStopsNoOldCopyAndTheReconcilerLooksAgainWhenItIsAvailable() {
    for (int i = 0; i < 3; i++) {
      running(1, true, Duration.ofMinutes(5));
    }
    running(2, true, Duration.ofMillis(300));

    Plan plan = reconcile(RolloutPolicy.DEFAULT.withBounds("1", "0").withMinReadyMs(1_000));

    assertThat(plan.stop()).isEmpty();
    assertThat(plan.starts()).isEmpty();
    assertThat(plan.requeueAfter()).contains(Duration.ofMillis(701));
  }

  @Test
  void onceAvailableForMinReadyOneOldCopyStops() {
    for (int i = 0; i < 3; i++) {
      running(1, true, Duration.ofMinutes(5));
    }
    running(2, true, Duration.ofMillis(1_000));

    Plan plan = reconcile(RolloutPolicy.DEFAULT.withBounds("1", "0").withMinReadyMs(1_000));

    assertThat(plan.stop()).hasSize(1).extracting(AssignmentRecord::revision).containsOnly(1);
  }

  @Test
  void aCanaryPolicySetAfterTheRolloutCompletedStopsNoCopy() {
    for (int i = 0; i < 3; i++) {
      running(2, true, Duration.ofMinutes(5));
    }
    Rollout complete = PROGRESSING.toBuilder().state(RolloutState.COMPLETE).reason(RolloutReason.ALL_COPIES_UPDATED)
        .counts(3, 3, 3, 0).stableRevision(2).finishedAt(Optional.of(NOW.minusSeconds(60))).build();

    Plan plan = reconcile(RolloutPolicy.DEFAULT.withBounds("1", "0").withCanary(1), complete);

    assertThat(plan.stop()).isEmpty();
    assertThat(plan.starts()).isEmpty();
    assertThat(plan.rollout()).as("the rollout stays as it ended").isEmpty();
  }

  @Test
  void aNewCopyBackingOffAfterItsSecondCrashInARowRevertsTheRollout() {
    for (int i = 0; i < 3; i++) {
      running(1, true, Duration.ofMinutes(5));
    }
    AssignmentRecord crashing = assigned(2).backoff(new LastExit(3, NOW.minusMillis(10), 20),
        Optional.of(new RestartWindow(NOW.minusSeconds(5), 2, CrashLoopPolicy.BACKOFF_FROM)), NOW.plusSeconds(1));
    assignments.add(crashing);

    Plan plan = reconcile(RolloutPolicy.DEFAULT.withBounds("1", "0"));

    assertThat(plan.rollout().orElseThrow().reason()).isEqualTo(RolloutReason.NEW_COPIES_CRASH_LOOP);
    assertThat(plan.revert().orElseThrow().spec().command()).isEqualTo(V1.command());
    assertThat(plan.restored().orElseThrow().revision()).isEqualTo(1);
    assertThat(plan.restored().orElseThrow().restores()).extracting(Revision.Restore::by)
        .containsExactly(Revision.CONTROLLER);
    assertThat(plan.starts()).isEmpty();
    assertThat(plan.stop()).isEmpty();
  }

  @Test
  void oneCrashIsNoCrashLoop() {
    for (int i = 0; i < 3; i++) {
      running(1, true, Duration.ofMinutes(5));
    }
    AssignmentRecord crashedOnce = assigned(2).backoff(new LastExit(3, NOW.minusMillis(10), 20),
        Optional.of(new RestartWindow(NOW.minusSeconds(5), 1, CrashLoopPolicy.BACKOFF_FROM - 1)),
        NOW.plusSeconds(1));
    assignments.add(crashedOnce);

    Plan plan = reconcile(RolloutPolicy.DEFAULT.withBounds("1", "0"));

    assertThat(plan.revert()).isEmpty();
    assertThat(plan.rollout().map(Rollout::state)).contains(RolloutState.PROGRESSING);
  }
}
