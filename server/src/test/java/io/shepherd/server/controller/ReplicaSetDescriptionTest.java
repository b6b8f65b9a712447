package io.shepherd.server.controller;

import static io.shepherd.server.controller.ReplicaSetFixture.NOW;
import static io.shepherd.server.controller.ReplicaSetFixture.replicaSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.record.AssignmentRecord;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the API tells of a replica set: counts, instances and the reason, all from the one snapshot given. */
class ReplicaSetDescriptionTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private final Reconciler reconciler = new Reconciler(Duration.ofSeconds(30));

  private ReplicaSetDescription describe(ReplicaSetFixture fixture) {
    return ReplicaSetDescription.of(reconciler, fixture.build(), NOW);
  }

  @Test
  void theCountsAndTheReasonDescribeTheSameCopies() {
    ReplicaSetDescription d = describe(replicaSet(3).node("a", 1).running("r1", "a", HOUR));

    assertThat(d.phases().live()).extracting(l -> l.assignment().instanceId()).containsExactly("r1");
    assertThat(d.phases().pending()).isEmpty();
    assertThat(d.whyNotRunning())
        .hasValueSatisfying(why -> assertThat(why).startsWith("2 copies cannot be scheduled: "));
  }

  @Test
  void oneMissingCopyIsNamedInTheSingular() {
    ReplicaSetDescription d = describe(replicaSet(2).node("a", 1).running("r1", "a", HOUR));

    assertThat(d.whyNotRunning())
        .hasValueSatisfying(why -> assertThat(why).startsWith("1 copy cannot be scheduled: "));
  }

  @Test
  void pendingCopiesAreCountedAndAreNoReason() {
    ReplicaSetDescription d = describe(replicaSet(2).node("a", 5).running("r1", "a", HOUR)
        .pending("p1", "a", Duration.ofSeconds(1)));

    assertThat(d.phases().live()).hasSize(1);
    assertThat(d.phases().pending()).extracting(AssignmentRecord::instanceId).containsExactly("p1");
    assertThat(d.whyNotRunning()).isEmpty();
    assertThat(d.plan().startOn()).as("the pending copy is waited for").isEmpty();
  }

  @Test
  void aCrashLoopBackoffIsTheReasonWhileItHoldsSpawns() {
    ReplicaSetDescription d = describe(replicaSet(1).node("a", 5)
        .crashLoop(3, Optional.of(NOW.plusSeconds(10))));

    assertThat(d.phases().live()).isEmpty();
    assertThat(d.crashLoop().consecutiveFailures()).isEqualTo(3);
    assertThat(d.whyNotRunning()).contains("crash-loop backoff: the next copy starts at " + NOW.plusSeconds(10));
  }

  @Test
  void aReplicaSetInItsSteadyStateHasNoReason() {
    ReplicaSetDescription d = describe(replicaSet(2).node("a", 5).running("r1", "a", HOUR).running("r2", "a", HOUR));

    assertThat(d.phases().live()).hasSize(2);
    assertThat(d.whyNotRunning()).isEmpty();
    assertThat(d.at()).isEqualTo(NOW);
  }
}
