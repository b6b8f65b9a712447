package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.Notification;
import io.shepherd.server.ingest.Transaction;
import io.shepherd.server.ingest.Znode;
import io.shepherd.server.ingest.ZnodeChange;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A leader and a standby that hold the same ZooKeeper state decide alike, however the ingest brought that state
 * to each: one transaction per batch (a leader that kept up), several transactions in one batch (a busy ingest), or
 * the whole tree read at once (a standby that just reconnected). Their plans are compared at every step of a copy's
 * life: assigned, registered, exited, its node gone, the set scaled.
 */
class LeaderAndStandbyDecideAlikeTest {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> COMMAND = List.of("sleep", "60");

  /** ZooKeeper's state, changed a transaction at a time, each with its zxid. */
  private final Map<String, Znode> state = new TreeMap<>();
  private final List<Transaction> history = new ArrayList<>();
  private long zxid = 100;

  private void commit(Map<String, Optional<Object>> ops) {
    zxid++;
    List<ZnodeChange> changes = new ArrayList<>();
    ops.forEach((path, record) -> {
      Znode before = state.get(path);
      if (record.isEmpty()) {
        state.remove(path);
        changes.add(new ZnodeChange(Notification.Kind.DELETED, path, Optional.empty()));
      } else {
        Znode after = new Znode(path, RecordCodec.write(record.get()), before == null ? 0 : before.version() + 1,
            before == null ? zxid : before.czxid(), zxid);
        state.put(path, after);
        changes.add(new ZnodeChange(before == null ? Notification.Kind.CREATED : Notification.Kind.CHANGED, path,
            Optional.of(after)));
      }
    });
    history.add(new Transaction(zxid, changes));
  }

  private static Map<String, Optional<Object>> ops(Object... pathsAndRecords) {
    Map<String, Optional<Object>> ops = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndRecords.length; i += 2) {
      ops.put((String) pathsAndRecords[i], Optional.ofNullable(pathsAndRecords[i + 1]));
    }
    return ops;
  }

  private static NodeRecord node(String id) {
    return new NodeRecord(id, id + ".example", 10, Map.of(), Optional.empty(), NOW.minusSeconds(3600));
  }

  private static AssignmentRecord assigned(String id, String node) {
    return AssignmentRecord.assigned(id, "web", node, COMMAND, Map.of(), Optional.empty(), 10_000,
        OnPartition.KEEP_RUNNING, 0, 1, NOW.minusSeconds(5));
  }

  private static InstanceRecord instance(String id, String node, long pid) {
    return new InstanceRecord(id, "web", node, node + ".example", pid, NOW.minusSeconds(4), 0);
  }

  /** A copy's life and its set's, one transaction per step, as the agents and a leader write them. */
  private void live() {
    for (String n : List.of("n1", "n2", "n3")) {
      commit(ops(LAYOUT.node(n), node(n)));
    }
    commit(ops(LAYOUT.replicaSet("web"), StoredReplicaSet.of(ReplicaSetSpec.of(3, COMMAND))));
    AssignmentRecord a = assigned("web-a", "n1");
    AssignmentRecord b = assigned("web-b", "n2");
    AssignmentRecord c = assigned("web-c", "n3");
    commit(ops(LAYOUT.assignment("n1", "web-a"), a, LAYOUT.assignment("n2", "web-b"), b,
        LAYOUT.assignment("n3", "web-c"), c));
    // Registrations: the instance created and the assignment set RUNNING in one transaction.
    commit(ops(LAYOUT.instance("web", "web-a"), instance("web-a", "n1", 4001),
        LAYOUT.assignment("n1", "web-a"), a.running(4001, NOW.minusSeconds(4))));
    commit(ops(LAYOUT.instance("web", "web-b"), instance("web-b", "n2", 4002),
        LAYOUT.assignment("n2", "web-b"), b.running(4002, NOW.minusSeconds(4))));
    // An exit: the instance deleted and the assignment set EXITED in one transaction.
    commit(ops(LAYOUT.instance("web", "web-b"), null,
        LAYOUT.assignment("n2", "web-b"), b.running(4002, NOW.minusSeconds(4)).exited(1, NOW.minusSeconds(1))));
    // A session's end: its ephemeral node entry goes.
    commit(ops(LAYOUT.node("n3"), null));
    commit(ops(LAYOUT.replicaSet("web"), StoredReplicaSet.of(ReplicaSetSpec.of(4, COMMAND))));
  }

  private static Plan decide(ClusterView view) {
    AtomicInteger next = new AtomicInteger();
    Reconciler reconciler = new Reconciler(LAUNCH_TIMEOUT, set -> set + "-new" + next.incrementAndGet());
    ReplicaSetSnapshot snapshot = Snapshots.of(view, "web", Set.of(), false, Map.of(), Map.of(), Map.of());
    return reconciler.reconcile(snapshot, NOW);
  }

  @Test
  void aLeaderThatKeptUpAndAStandbyThatReadTheTreeOrABusyBatchDecideAlikeAtEveryStep() {
    live();
    ClusterView leader = new ClusterView(LAYOUT);
    leader.apply(new Batch(Optional.of(List.of()), List.of()));
    List<Plan> plans = new ArrayList<>();

    Map<String, Znode> replay = new TreeMap<>();
    for (int step = 0; step < history.size(); step++) {
      Transaction t = history.get(step);
      leader.apply(new Batch(Optional.empty(), List.of(t)));
      t.changes().forEach(c -> {
        if (c.now().isPresent()) {
          replay.put(c.path(), c.now().get());
        } else {
          replay.remove(c.path());
        }
      });

      ClusterView reconnected = new ClusterView(LAYOUT);
      reconnected.apply(new Batch(Optional.of(List.copyOf(replay.values())), List.of()));
      ClusterView busy = new ClusterView(LAYOUT);
      busy.apply(new Batch(Optional.of(List.of()), history.subList(0, step + 1)));

      Plan plan = decide(leader);
      assertThat(decide(reconnected)).as("after step %d, from the tree", step).isEqualTo(plan);
      assertThat(decide(busy)).as("after step %d, in one batch", step).isEqualTo(plan);
      plans.add(plan);
    }
    assertThat(replay).isEqualTo(state);
    // The comparison is not vacuous: the steps call for different decisions.
    assertThat(plans.get(history.size() - 1).writes()).isTrue();
    assertThat(plans.stream().distinct().count()).isGreaterThan(2);
  }
}
