package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator's breaker reset against a real ZooKeeper: written at the version it read, so that a leader's
 * transition landing between its read and its write is never overwritten unseen, and the reset itself is not lost.
 */
class BreakerStoreIT {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final BreakerState RESET = BreakerState.closedBy(T0.plusSeconds(10), "admin");
  private static final AtomicInteger ROOTS = new AtomicInteger();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private CuratorFramework client;
  private ZkLayout layout;
  private final AtomicInteger reads = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    client = CuratorFrameworkFactory.newClient(ZK.connectString(), new RetryOneTime(100));
    client.start();
    layout = new ZkLayout("/breaker-store-" + ROOTS.incrementAndGet());
    client.create().creatingParentsIfNeeded().forPath(layout.root());
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private BreakerState stored() throws Exception {
    return ServerZnodes.BREAKER.decode(client.getData().forPath(layout.breaker()));
  }

  /** A store whose first read is followed by {@code leader}, as if the leader wrote exactly then. */
  private BreakerStore storeWithLeaderAfterFirstRead(LeaderWrite leader) {
    return new BreakerStore(client, layout, new ClusterView(layout), () -> {
      if (reads.incrementAndGet() == 1) {
        try {
          leader.write();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
  }

  private interface LeaderWrite {
    void write() throws Exception;
  }

  private void leaderStores(BreakerState state) throws Exception {
    client.setData().forPath(layout.breaker(), ServerZnodes.BREAKER.encode(state));
  }

  @Test
  void aLeadersOlderOpeningLandingBetweenTheResetsReadAndWriteFailsItsWriteAndTheResetIsStoredOnTheSecondTry()
      throws Exception {
    client.create().forPath(layout.breaker(), ServerZnodes.BREAKER.encode(BreakerState.closed(T0, "healthy")));
    BreakerStore store = storeWithLeaderAfterFirstRead(
        () -> leaderStores(BreakerState.opened(T0.plusSeconds(5), 10, "6 of 10 nodes vanished")));

    store.store(RESET);

    assertThat(reads).as("the versioned write failed and the reset read again").hasValue(2);
    assertThat(stored()).isEqualTo(RESET);
  }

  @Test
  void aLeadersOpeningDecidedAfterTheResetLandingBetweenItsReadAndWriteIsNotOverwritten() throws Exception {
    client.create().forPath(layout.breaker(), ServerZnodes.BREAKER.encode(BreakerState.opened(T0, 10, "first")));
    BreakerState reopened = BreakerState.opened(T0.plusSeconds(11), 10, "6 of 10 nodes vanished again");
    BreakerStore store = storeWithLeaderAfterFirstRead(() -> leaderStores(reopened));

    assertThatThrownBy(() -> store.store(RESET))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("it is now open: 6 of 10 nodes vanished again");

    assertThat(stored()).isEqualTo(reopened);
  }

  @Test
  void aResetOfABreakerNeverStoredCreatesItEvenWhenTheLeaderCreatesItMeanwhile() throws Exception {
    BreakerStore store = storeWithLeaderAfterFirstRead(() -> client.create().forPath(layout.breaker(),
        ServerZnodes.BREAKER.encode(BreakerState.opened(T0.plusSeconds(5), 10, "6 of 10 nodes vanished"))));

    store.store(RESET);

    assertThat(reads).hasValue(2);
    assertThat(stored()).isEqualTo(RESET);
  }

  @Test
  void aResetWithNothingInBetweenIsStoredAtOnce() throws Exception {
    client.create().forPath(layout.breaker(), ServerZnodes.BREAKER.encode(BreakerState.opened(T0, 10, "lost")));
    BreakerStore store = new BreakerStore(client, layout, new ClusterView(layout), reads::incrementAndGet);

    store.store(RESET);

    assertThat(reads).hasValue(1);
    assertThat(stored()).isEqualTo(RESET);
  }

  @Test
  void anUnreadableBreakerIsOverwrittenByAReset() throws Exception {
    client.create().forPath(layout.breaker(), "{not json".getBytes(StandardCharsets.UTF_8));
    BreakerStore store = new BreakerStore(client, layout, new ClusterView(layout), reads::incrementAndGet);

    store.store(RESET);

    assertThat(stored()).isEqualTo(RESET);
  }
}
