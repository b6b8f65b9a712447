package io.shepherd.server.controller;

import io.shepherd.server.state.BreakerState;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the leader's breaker transitions in {@code /breaker}, fenced like every controller write, off the cache's
 * event thread. Only a leader stores; a standby's breaker only follows what is stored.
 */
final class BreakerWrites implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BreakerWrites.class);

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "shepherd-breaker");
    t.setDaemon(true);
    return t;
  });

  BreakerWrites(CuratorFramework client, ZkLayout layout) {
    this.client = client;
    this.layout = layout;
  }

  void store(BreakerState state, Optional<Fence> fence) {
    fence.ifPresent(f -> writer.execute(() -> write(state, f)));
  }

  private void write(BreakerState state, Fence fence) {
    byte[] data = RecordCodec.write(state);
    try {
      Stat stat = client.checkExists().forPath(layout.breaker());
      if (stat != null) {
        BreakerState stored = RecordCodec.read(
            client.getData().storingStatIn(stat).forPath(layout.breaker()), BreakerState.class);
        if (isNewer(stored, state)) {
          // An operator's reset (or a later transition) landed while this write waited: it wins.
          return;
        }
      }
      client.transaction().forOperations(
          client.transactionOp().check().withVersion(fence.epochVersion()).forPath(layout.epoch()),
          client.transactionOp().check().forPath(fence.latchPath()),
          // Versioned: a reset written between the read above and this write fails it rather than being overwritten.
          stat != null ? client.transactionOp().setData().withVersion(stat.getVersion()).forPath(layout.breaker(), data)
              : client.transactionOp().create().forPath(layout.breaker(), data));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (KeeperException e) {
      LOG.warn("could not store the breaker state ({}); the next leader re-evaluates it", e.code());
    } catch (Exception e) {
      LOG.warn("could not store the breaker state", e);
    }
  }

  /** Whether the stored state was decided after {@code state}. */
  static boolean isNewer(BreakerState stored, BreakerState state) {
    return stored.since().isPresent() && state.since().isPresent() && stored.since().get().isAfter(state.since().get());
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}
