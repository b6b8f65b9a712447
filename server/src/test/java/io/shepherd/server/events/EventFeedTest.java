package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.Notification;
import io.shepherd.server.ingest.Transaction;
import io.shepherd.server.ingest.Znode;
import io.shepherd.server.ingest.ZnodeChange;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.LastExit;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The feed on hand-built batches, as the ingest applies them: ids, content before a change, resyncs. */
class EventFeedTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final ZkLayout layout = ZkLayout.defaultLayout();
  private final List<Event> events = new ArrayList<>();
  private int missed;
  private final EventFeed feed = new EventFeed(layout, events::add, () -> missed++, Clock.fixed(NOW, ZoneOffset.UTC));

  private static final AssignmentRecord RUNNING = AssignmentRecord.assigned("web-1", "web", "node-a",
      List.of("sleep", "300"), Map.of(), Optional.empty(), 10, OnPartition.KEEP_RUNNING, 0, 1, NOW)
      .running(4242, NOW);

  private Znode node(String id, long czxid) {
    return new Znode(layout.node(id), RecordCodec.write(new NodeRecord(id, "10.0.0.7", 4, Map.of(), Optional.empty(),
        NOW)), 0, czxid, czxid);
  }

  private Znode assignment(AssignmentRecord record, int version, long czxid, long mzxid) {
    return new Znode(layout.assignment(record.nodeId(), record.instanceId()), RecordCodec.write(record), version,
        czxid, mzxid);
  }

  private Znode participant(String znode, String serverId, long czxid) {
    return new Znode(layout.leader() + "/" + znode, serverId.getBytes(StandardCharsets.UTF_8), 0, czxid, czxid);
  }

  private static ZnodeChange created(Znode z) {
    return new ZnodeChange(Notification.Kind.CREATED, z.path(), Optional.of(z));
  }

  private static ZnodeChange changed(Znode z) {
    return new ZnodeChange(Notification.Kind.CHANGED, z.path(), Optional.of(z));
  }

  private static ZnodeChange deleted(String path) {
    return new ZnodeChange(Notification.Kind.DELETED, path, Optional.empty());
  }

  private static Batch tree(Znode... znodes) {
    return new Batch(Optional.of(List.of(znodes)), List.of());
  }

  private static Batch transactions(Transaction... transactions) {
    return new Batch(Optional.empty(), List.of(transactions));
  }

  @Test
  void idsAreTheTransactionsZxidAndThePositionWithinIt() {
    feed.accept(tree(new Znode(layout.root(), new byte[0], 0, 1, 1)));
    feed.accept(transactions(new Transaction(40, List.of(created(node("n1", 40)), created(node("n2", 40))))));

    assertThat(events).extracting(Event::id).containsExactly(EventIds.of(40, 0), EventIds.of(40, 1));
    assertThat(events).extracting(Event::type).containsOnly(EventType.NODE_UP);
  }

  @Test
  void aResyncReportsNothingAndADeletionAfterItCarriesTheContentTheTreeShowed() {
    Znode exited = assignment(RUNNING.exited(3, NOW), 2, 10, 12);
    feed.accept(tree(node("n1", 5), exited));
    assertThat(events).isEmpty();

    feed.accept(transactions(new Transaction(50, List.of(deleted(exited.path())))));

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo(EventIds.of(50, 0));
      assertThat(e.type()).isEqualTo(EventType.STOPPED);
      assertThat(e.message()).isEqualTo("copy web-1 of web unassigned from node-a: its copy had ended (exit 3)");
    });
  }

  @Test
  void aSecondResyncOfUnchangedZnodesInventsNoEventButSaysChangesMayHaveBeenMissed() {
    Znode n1 = node("n1", 5);
    feed.accept(tree(n1));
    assertThat(missed).isZero();
    feed.accept(transactions(new Transaction(20, List.of(created(node("n2", 20))))));
    feed.accept(tree(n1, node("n2", 20)));

    assertThat(events).extracting(Event::id).containsExactly(EventIds.of(20, 0));
    assertThat(missed).isEqualTo(1);
  }

  @Test
  void aChangeComparesWithTheVersionBeforeIt() {
    AssignmentRecord assigned = AssignmentRecord.assigned("web-1", "web", "node-a", List.of("sleep", "300"),
        Map.of(), Optional.empty(), 10, OnPartition.KEEP_RUNNING, 0, 1, NOW);
    feed.accept(tree(assignment(assigned, 0, 10, 10)));
    AssignmentRecord withRestart = RUNNING.restarting(new LastExit(1, NOW, 5_000), Optional.empty(), 0)
        .running(4343, NOW);

    feed.accept(transactions(new Transaction(30, List.of(changed(assignment(withRestart, 1, 10, 30))))));

    assertThat(events).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(EventType.INSTANCE_RESTARTED));
  }

  @Test
  void withoutZxidsADeletionContinuesTheLastTransactionSoIdsStillIncrease() {
    Znode n1 = node("n1", 5);
    feed.accept(tree(n1));
    feed.accept(transactions(new Transaction(20, List.of(created(node("n2", 20))))));
    // ZooKeeper 3.8: a transaction of deletions only, then a stand-in older than the last one used.
    feed.accept(transactions(new Transaction(Notification.UNKNOWN, List.of(deleted(n1.path())))));
    feed.accept(transactions(new Transaction(15, List.of(created(node("n3", 15))))));

    assertThat(events).extracting(Event::id)
        .containsExactly(EventIds.of(20, 0), EventIds.of(20, 1), EventIds.of(20, 2));
    assertThat(events).extracting(Event::type)
        .containsExactly(EventType.NODE_UP, EventType.NODE_DOWN, EventType.NODE_UP);
  }

  @Test
  void whoLeadsFollowsTheLatchParticipantsFromTheTreeOn() {
    Znode first = participant("_c_a-latch-0000000001", "s1", 5);
    feed.accept(tree(first));
    feed.accept(transactions(new Transaction(60, List.of(created(participant("_c_b-latch-0000000002", "s2", 60))))));
    feed.accept(transactions(new Transaction(61, List.of(deleted(first.path())))));

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo(EventIds.of(61, 0));
      assertThat(e.type()).isEqualTo(EventType.LEADER_CHANGED);
      assertThat(e.message()).isEqualTo("s2 leads (was s1)");
    });
  }
}
