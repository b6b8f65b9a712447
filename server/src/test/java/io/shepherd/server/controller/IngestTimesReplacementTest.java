package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.Batches;
import io.shepherd.server.ingest.Znode;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the ingest tells the {@link ReplacementLedger}, from batches applied to a view: a started copy seen without
 * its instance is lost (then), a copy seen with one is registered, and what registering a replacement reports.
 */
class IngestTimesReplacementTest {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();
  private static final Instant T0 = Instant.parse("2030-01-01T12:00:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final ClusterView view = new ClusterView(LAYOUT);
  private final ReplacementLedger ledger = new ReplacementLedger();
  private final IngestTimes times = new IngestTimes(view, LAYOUT, clock, ledger);
  private long zxid = 100;

  private static AssignmentRecord assigned(String id) {
    return AssignmentRecord.assigned(id, "web", "n1", List.of("sleep", "60"), Map.of(), Optional.empty(), 1_000,
        OnPartition.KEEP_RUNNING, 0, 1, T0);
  }

  private Znode assignment(AssignmentRecord a) {
    return Batches.znode(LAYOUT.assignment(a.nodeId(), a.instanceId()), RecordCodec.write(a), 0, ++zxid);
  }

  private Znode instance(String id) {
    return Batches.znode(LAYOUT.instance("web", id),
        RecordCodec.write(new InstanceRecord(id, "web", "n1", "n1.example", 4242, T0, 0)), 0, ++zxid);
  }

  private IngestTimes.Seen apply(Batch batch, int atSecond) {
    clock.now = T0.plusSeconds(atSecond);
    Set<String> nodesBefore = view.nodes().keySet();
    view.apply(batch);
    return times.note(batch, nodesBefore);
  }

  @BeforeEach
  void aSetWithOneRunningCopyAndOneNotYetStarted() {
    Znode spec = Batches.znode(LAYOUT.replicaSet("web"),
        RecordCodec.write(StoredReplicaSet.of(ReplicaSetSpec.of(2, List.of("sleep", "60")))), 0, ++zxid);
    Znode node = Batches.znode(LAYOUT.node("n1"),
        RecordCodec.write(new NodeRecord("n1", "n1.example", 10, Map.of(), Optional.empty(), T0)), 0, ++zxid);
    apply(new Batch(Optional.of(List.of(spec, node, assignment(assigned("c1").running(4242, T0)), instance("c1"),
        assignment(assigned("p1")))), List.of()), 0);
  }

  @Test
  void aCopyWhoseInstanceVanishesWhileItStaysAssignedIsTimedFromThatBatchToItsReplacementsRegistration() {
    apply(Batches.deleted(++zxid, LAYOUT.instance("web", "c1")), 5); // its node's session expired
    ledger.planned("web", List.of("c1"), List.of(), List.of("r1"), false, T0.plusSeconds(7));

    IngestTimes.Seen seen = apply(Batches.changed(assignment(assigned("r1").running(4343, T0)), instance("r1")), 9);

    assertThat(seen.replaced()).containsExactly(new ReplacementLedger.Replaced("web", Duration.ofSeconds(4)));
  }

  @Test
  void aCopyAssignedAndNotYetStartedIsNoLossWhenTheTreeIsReadAgain() {
    ledger.planned("web", List.of("p1"), List.of(), List.of("r1"), false, T0.plusSeconds(7));

    IngestTimes.Seen seen = apply(Batches.changed(assignment(assigned("r1").running(4343, T0)), instance("r1")), 9);

    assertThat(seen.replaced()).as("timed from the decision: no loss was seen")
        .containsExactly(new ReplacementLedger.Replaced("web", Duration.ofSeconds(2)));
  }

  @Test
  void aCopyStoppedByTheLeaderLosesItsInstanceAfterItsAssignmentAndIsNoLoss() {
    apply(Batches.deleted(++zxid, LAYOUT.assignment("n1", "c1")), 3); // scaled down: the assignment goes first
    apply(Batches.deleted(++zxid, LAYOUT.instance("web", "c1")), 4);
    ledger.planned("web", List.of("c1"), List.of(), List.of("r1"), false, T0.plusSeconds(7));

    IngestTimes.Seen seen = apply(Batches.changed(assignment(assigned("r1").running(4343, T0)), instance("r1")), 9);

    assertThat(seen.replaced()).containsExactly(new ReplacementLedger.Replaced("web", Duration.ofSeconds(2)));
  }

  @Test
  void aRegistrationThatReplacesNothingReportsNothing() {
    IngestTimes.Seen seen = apply(Batches.changed(assignment(assigned("p1").running(4343, T0)), instance("p1")), 9);

    assertThat(seen.replaced()).isEmpty();
  }
}
