package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The revisions {@link ReplicaSetStore} keeps and restores, against a real ZooKeeper. Two stores, each with a view
 * no ingest feeds, stand for two servers whose views lag behind each other's writes: what they prune and undo must
 * come from ZooKeeper itself.
 */
class ReplicaSetStoreRevisionsIT {
  private static final Instant T0 = Instant.parse("2030-01-01T12:00:00Z");
  private static final AtomicInteger ROOTS = new AtomicInteger();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private CuratorFramework client;
  private ZkLayout layout;
  private ReplicaSetStore one;
  private ReplicaSetStore other;

  @BeforeEach
  void setUp() throws Exception {
    client = CuratorFrameworkFactory.newClient(ZK.connectString(), new RetryOneTime(100));
    client.start();
    layout = new ZkLayout("/revision-store-" + ROOTS.incrementAndGet());
    client.create().creatingParentsIfNeeded().forPath(layout.replicaSets());
    one = new ReplicaSetStore(client, layout, new ClusterView(layout), Clock.fixed(T0, ZoneOffset.UTC));
    other = new ReplicaSetStore(client, layout, new ClusterView(layout),
        Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private static ReplicaSetSpec version(int n) {
    return ReplicaSetSpec.of(3, List.of("sleep", Integer.toString(100_000 + n)));
  }

  private List<Integer> storedRevisions() throws Exception {
    return client.getChildren().forPath(layout.revisions("web")).stream().map(Integer::valueOf).sorted().toList();
  }

  private Revision revision(int n) throws Exception {
    return ServerZnodes.REVISION.decode(client.getData().forPath(layout.revision("web", n)));
  }

  /** Creates {@code web} (revision 1), then changes its template {@code changes} times, alternating the stores. */
  private void createAndChange(int changes) throws Exception {
    one.apply("web", version(1), OptionalInt.empty(), "alice");
    for (int i = 1; i <= changes; i++) {
      (i % 2 == 0 ? one : other).apply("web", version(1 + i), OptionalInt.empty(), "alice");
    }
  }

  @Test
  void twelveTemplateChangesLeaveTheLastTenRevisions() throws Exception {
    createAndChange(12);

    assertThat(storedRevisions()).isEqualTo(IntStream.rangeClosed(4, 13).boxed().toList());
  }

  @Test
  void theStableRevisionIsKeptBesidesTheLastTen() throws Exception {
    one.apply("web", version(1), OptionalInt.empty(), "alice");
    // The leader recorded revision 1 complete; neither store's view has seen it.
    client.create().forPath(layout.rollout("web"), ServerZnodes.ROLLOUT.encode(new Rollout(0, 1,
        RolloutState.COMPLETE, RolloutReason.ALL_COPIES_UPDATED, "", 3, 3, 3, 3, 0, 1, Optional.empty(), "alice",
        T0, T0, Optional.of(T0))));
    for (int i = 1; i <= 12; i++) {
      (i % 2 == 0 ? one : other).apply("web", version(1 + i), OptionalInt.empty(), "alice");
    }

    assertThat(storedRevisions()).containsExactly(1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
  }

  @Test
  void anUndoRecordsWhoBroughtTheRevisionBackAndASecondPlainUndoTogglesBack() throws Exception {
    createAndChange(1);

    one.undo("web", OptionalInt.empty(), "carol");

    assertThat(revision(1).restores()).containsExactly(
        new Revision.Restore(T0, "carol", RolloutReason.UNDO, 2));
    assertThat(revision(1).createdBy()).isEqualTo("alice");
    assertThat(ServerZnodes.SPEC.decode(client.getData().forPath(layout.replicaSet("web"))).revision()).isEqualTo(1);

    other.undo("web", OptionalInt.empty(), "dave");

    assertThat(ServerZnodes.SPEC.decode(client.getData().forPath(layout.replicaSet("web"))).spec())
        .isEqualTo(version(2));
    assertThat(revision(2).restores()).containsExactly(
        new Revision.Restore(T0.plusSeconds(60), "dave", RolloutReason.UNDO, 1));
    assertThat(storedRevisions()).as("an undo makes no revision").containsExactly(1, 2);
  }
}
