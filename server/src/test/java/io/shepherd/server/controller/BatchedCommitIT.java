package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.ingest.Batches;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Plans of several replica sets go out in one fenced transaction; a stale one among them holds back no other. */
class BatchedCommitIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private final ZkLayout layout = new ZkLayout("/batched");
  private final ClusterView view = new ClusterView(layout);
  private final List<Plan> committed = new ArrayList<>();
  private final List<Plan> failed = new ArrayList<>();
  private CuratorFramework client;
  private PlanExecutor executor;
  private Fence fence;

  @BeforeEach
  void setUp() throws Exception {
    client = CuratorFrameworkFactory.builder().connectString(ZK.connectString())
        .sessionTimeoutMs(5_000).connectionTimeoutMs(2_000).retryPolicy(new ExponentialBackoffRetry(50, 3)).build();
    client.start();
    client.blockUntilConnected();
    client.create().creatingParentsIfNeeded().forPath(layout.epoch(), "1".getBytes());
    String latch = client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath(layout.leader() + "/latch-");
    fence = new Fence(1, 0, latch);
    client.create().creatingParentsIfNeeded().forPath(layout.assignmentsOf("n1"));
    view.apply(Batches.changed(Batches.znode(layout.assignmentsOf("n1"), new byte[0], 0, 1)));
    executor = new PlanExecutor(client, layout, view, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    client.delete().deletingChildrenIfNeeded().forPath(layout.root());
    client.close();
  }

  @Test
  void plansOfSeveralReplicaSetsAreCommittedInOneTransaction() throws Exception {
    executor.executeAll(List.of(start("a"), start("b"), start("c")), fence, outcome());

    assertThat(committed).extracting(Plan::replicaSet).containsExactly("a", "b", "c");
    Set<Long> transactions = createdBy(client.getChildren().forPath(layout.assignmentsOf("n1")));
    assertThat(transactions).hasSize(1);
  }

  @Test
  void aStalePlanFailsAloneAndTheOthersAreCommitted() throws Exception {
    AssignmentRecord gone = AssignmentRecord.assigned("b-gone", "b", "n1", List.of("true"), Map.of(),
        Optional.empty(), 1_000, null, 0, 1, Instant.now());
    PlanExecutor.Decided stale = decided(new Plan("b", 0, List.of(new Plan.Start("n1", "b-new", Map.of())), List.of(), List.of(gone), Optional.empty(),
        false, Optional.empty(), Optional.empty()));

    executor.executeAll(List.of(start("a"), stale, start("c")), fence, outcome());

    assertThat(committed).extracting(Plan::replicaSet).containsExactly("a", "c");
    assertThat(failed).extracting(Plan::replicaSet).containsExactly("b");
    assertThat(client.getChildren().forPath(layout.assignmentsOf("n1")))
        .allMatch(id -> id.startsWith("a-") || id.startsWith("c-")).hasSize(2);
  }

  private Set<Long> createdBy(List<String> children) {
    return children.stream().map(id -> {
      try {
        return client.checkExists().forPath(layout.assignment("n1", id)).getCzxid();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).collect(Collectors.toSet());
  }

  private PlanExecutor.Decided start(String name) {
    return decided(new Plan(name, 0, List.of(new Plan.Start("n1", name + "-new", Map.of())), List.of(), List.of(), Optional.empty(), false, Optional.empty(),
        Optional.empty()));
  }

  private PlanExecutor.Decided decided(Plan plan) {
    ReplicaSetSnapshot snapshot = new ReplicaSetSnapshot(plan.replicaSet(),
        Optional.of(new Versioned<>(StoredReplicaSet.of(ReplicaSetSpec.of(1, List.of("true"))), 0)), List.of(),
        List.of(), Map.of("n1", new NodeLoad("n1", 10, 0, Map.of())), Set.of(), CrashLoopState.HEALTHY, false, Map.of());
    return new PlanExecutor.Decided(plan, snapshot);
  }

  private PlanExecutor.Outcome outcome() {
    return new PlanExecutor.Outcome() {
      @Override
      public void committed(Plan plan) {
        committed.add(plan);
      }

      @Override
      public void failed(Plan plan, Exception e) {
        failed.add(plan);
      }
    };
  }
}
