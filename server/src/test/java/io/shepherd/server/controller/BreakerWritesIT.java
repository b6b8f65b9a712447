package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.server.state.BreakerState;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leader's breaker write against a real ZooKeeper: it reads {@code /breaker}, compares times, and writes with
 * the version it read, so that an operator's reset landing between its read and its write is never overwritten.
 */
class BreakerWritesIT {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final AtomicInteger ROOTS = new AtomicInteger();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private CuratorFramework client;
  private ZkLayout layout;
  private Fence fence;

  @BeforeEach
  void setUp() throws Exception {
    client = CuratorFrameworkFactory.newClient(ZK.connectString(), new RetryOneTime(100));
    client.start();
    layout = new ZkLayout("/breaker-writes-" + ROOTS.incrementAndGet());
    client.create().creatingParentsIfNeeded().forPath(layout.epoch(), "1".getBytes(StandardCharsets.UTF_8));
    Stat epoch = client.checkExists().forPath(layout.epoch());
    String latch = client.create().creatingParentsIfNeeded().forPath(layout.leader() + "/latch-0000000001");
    fence = new Fence(1, epoch.getVersion(), latch);
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private BreakerState stored() throws Exception {
    return RecordCodec.read(client.getData().forPath(layout.breaker()), BreakerState.class);
  }

  /** What {@code PUT /api/v1/breaker} writes: unconditionally, as an operator does. */
  private void operatorResets(BreakerState reset) {
    try {
      client.setData().forPath(layout.breaker(), RecordCodec.write(reset));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anOperatorsResetWrittenBetweenTheLeadersReadAndItsWriteFailsTheVersionedWriteAndStays() throws Exception {
    client.create().forPath(layout.breaker(), RecordCodec.write(BreakerState.closed(T0, "reset by an operator")));
    BreakerState opening = BreakerState.opened(T0.plusSeconds(5), 10, "6 of 10 nodes vanished");
    BreakerState reset = BreakerState.closed(T0.plusSeconds(10), "reset by an operator");
    AtomicInteger resets = new AtomicInteger();
    BreakerWrites leader = new BreakerWrites(client, layout, () -> {
      operatorResets(reset);
      resets.incrementAndGet();
    });

    BreakerWrites.Outcome outcome = leader.write(opening, fence);

    assertThat(resets).as("the reset landed after the leader's read").hasValue(1);
    assertThat(outcome).as("refused by the version it read, not by the time it compared")
        .isEqualTo(BreakerWrites.Outcome.CHANGED_SINCE_READ);
    assertThat(stored()).isEqualTo(reset);
    leader.close();
  }

  @Test
  void anOperatorsResetCreatedBetweenTheLeadersReadAndItsFirstWriteIsNotOverwrittenEither() throws Exception {
    BreakerState opening = BreakerState.opened(T0.plusSeconds(5), 10, "6 of 10 nodes vanished");
    BreakerState reset = BreakerState.closed(T0.plusSeconds(10), "reset by an operator");
    BreakerWrites leader = new BreakerWrites(client, layout, () -> {
      try {
        client.create().forPath(layout.breaker(), RecordCodec.write(reset));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    assertThat(leader.write(opening, fence)).isEqualTo(BreakerWrites.Outcome.CHANGED_SINCE_READ);
    assertThat(stored()).isEqualTo(reset);
    leader.close();
  }

  @Test
  void theLeadersOpeningIsStoredWhenNothingLandedBetweenItsReadAndItsWrite() throws Exception {
    client.create().forPath(layout.breaker(), RecordCodec.write(BreakerState.closed(T0, "reset by an operator")));
    BreakerState opening = BreakerState.opened(T0.plusSeconds(5), 10, "6 of 10 nodes vanished");
    AtomicInteger reads = new AtomicInteger();
    BreakerWrites leader = new BreakerWrites(client, layout, reads::incrementAndGet);

    assertThat(leader.write(opening, fence)).isEqualTo(BreakerWrites.Outcome.STORED);

    assertThat(reads).as("it went through the same read as above").hasValue(1);
    assertThat(stored()).isEqualTo(opening);
    leader.close();
  }

  @Test
  void anOperatorsResetStoredBeforeTheLeadersReadWinsByItsTime() throws Exception {
    BreakerState reset = BreakerState.closed(T0.plusSeconds(10), "reset by an operator");
    client.create().forPath(layout.breaker(), RecordCodec.write(reset));
    BreakerWrites leader = new BreakerWrites(client, layout);

    assertThat(leader.write(BreakerState.opened(T0.plusSeconds(5), 10, "6 of 10 nodes vanished"), fence))
        .isEqualTo(BreakerWrites.Outcome.STORED_IS_NEWER);
    assertThat(stored()).isEqualTo(reset);
    leader.close();
  }

  @Test
  void aDeposedLeadersWriteIsFenced() throws Exception {
    client.create().forPath(layout.breaker(), RecordCodec.write(BreakerState.closed(T0, "reset by an operator")));
    client.setData().forPath(layout.epoch(), "2".getBytes(StandardCharsets.UTF_8)); // a newer leader won
    BreakerWrites leader = new BreakerWrites(client, layout);

    assertThat(leader.write(BreakerState.opened(T0.plusSeconds(5), 10, "6 of 10 nodes vanished"), fence))
        .isEqualTo(BreakerWrites.Outcome.FENCED);
    assertThat(stored()).isEqualTo(BreakerState.closed(T0, "reset by an operator"));
    leader.close();
  }
}
