package io.shepherd.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.Batches;
import io.shepherd.server.ingest.Znode;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** This server's own writes, kept apart from what the ingest observed, laid over it until seen back. */
class ExpectationsTest {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final AssignmentRecord A = AssignmentRecord.assigned("web-a", "web", "n1", List.of("sleep", "60"),
      Map.of(), Optional.empty(), 10_000, OnPartition.KEEP_RUNNING, 0, 1, NOW);
  private static final String PATH = LAYOUT.assignment("n1", "web-a");

  private Instant now = NOW;
  private final ClusterView view = new ClusterView(LAYOUT, new Clock() {
    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  });

  private static Znode assignment(AssignmentRecord record, int version, long zxid) {
    return Batches.znode(PATH, RecordCodec.write(record), version, zxid);
  }

  @Test
  void aCreatedAssignmentIsSeenAtOnceAndAResyncThatDoesNotHoldItYetKeepsIt() {
    view.assumeCreated(A);
    assertThat(view.assignments("web")).containsExactly(A);
    assertThat(view.assignmentCount("n1")).isEqualTo(1);

    // The tree was read before the commit: it lacks the assignment, whose notification comes next.
    view.apply(new Batch(Optional.of(List.of()), List.of()));

    assertThat(view.assignments("web")).containsExactly(A);
    assertThat(view.hasAssignmentParent("n1")).isTrue();
  }

  @Test
  void onceSeenBackTheObservedAssignmentIsWhatCounts() {
    view.assumeCreated(A);
    AssignmentRecord running = A.running(42, NOW);

    view.apply(Batches.changed(assignment(running, 1, 10)));

    assertThat(view.versionedAssignments("web")).containsExactly(new Versioned<>(running, 1));
  }

  @Test
  void aDeletedAssignmentStaysHiddenWhenAChangeReadBeforeTheDeletionIsAppliedAfterIt() {
    view.apply(Batches.changed(assignment(A, 0, 10)));
    view.assumeDeleted(PATH);
    assertThat(view.assignments("web")).isEmpty();

    // The agent's RUNNING, read before the leader's delete committed, applied after it.
    view.apply(Batches.changed(assignment(A.running(42, NOW), 1, 11)));
    assertThat(view.assignments("web")).isEmpty();
    assertThat(view.assignmentCount("n1")).isZero();

    view.apply(Batches.deleted(12, PATH));
    assertThat(view.assignments("web")).isEmpty();
  }

  @Test
  void anOwnWriteNeverSeenBackIsForgottenAfterItsTimeLimit() {
    view.assumeCreated(A);
    now = NOW.plus(Expectations.TTL).minusMillis(1);
    assertThat(view.assignments("web")).containsExactly(A);

    now = NOW.plus(Expectations.TTL);

    assertThat(view.assignments("web")).isEmpty();
    assertThat(view.replicaSetNames()).doesNotContain("web");
  }

  @Test
  void aDeletionNeverSeenBackStopsHidingTheObservedAssignmentAfterItsTimeLimit() {
    view.apply(Batches.changed(assignment(A, 0, 10)));
    view.assumeDeleted(PATH);
    assertThat(view.assignments("web")).isEmpty();

    now = NOW.plus(Expectations.TTL);

    assertThat(view.assignments("web")).containsExactly(A);
  }
}
