package io.shepherd.server.controller;

import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.worker.zk.ZkLayout;
import java.util.List;
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

  /** What became of one write. */
  enum Outcome {
    STORED,
    /** Not written: what is stored was decided later (an operator's reset, or a later transition). */
    STORED_IS_NEWER,
    /** Not written: {@code /breaker} changed between the read and the versioned write. */
    CHANGED_SINCE_READ,
    /** Not written: this server no longer leads. */
    FENCED,
    /** Not written: ZooKeeper could not be asked, or refused for another reason. */
    FAILED
  }

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final FencedTransaction fenced;
  /** Runs between the read and the write: a test's way to land an operator's reset exactly there. */
  private final Runnable afterRead;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "shepherd-breaker");
    t.setDaemon(true);
    return t;
  });

  BreakerWrites(CuratorFramework client, ZkLayout layout) {
    this(client, layout, () -> { });
  }

  BreakerWrites(CuratorFramework client, ZkLayout layout, Runnable afterRead) {
    this.client = client;
    this.layout = layout;
    this.fenced = new FencedTransaction(client, layout);
    this.afterRead = afterRead;
  }

  void store(BreakerState state, Optional<Fence> fence) {
    fence.ifPresent(f -> writer.execute(() -> write(state, f)));
  }

  /** Writes {@code state} under {@code fence} unless what is stored is newer; on the calling thread. */
  Outcome write(BreakerState state, Fence fence) {
    byte[] data = ServerZnodes.BREAKER.encode(state);
    try {
      Stat stat = client.checkExists().forPath(layout.breaker());
      if (stat != null) {
        BreakerState stored =
            ServerZnodes.BREAKER.decode(client.getData().storingStatIn(stat).forPath(layout.breaker()));
        if (isNewer(stored, state)) {
          // An operator's reset (or a later transition) landed while this write waited: it wins.
          return Outcome.STORED_IS_NEWER;
        }
      }
      afterRead.run();
      // Versioned: a reset written between the read above and this write fails it rather than being overwritten.
      fenced.commit(fence, List.of(stat != null
          ? client.transactionOp().setData().withVersion(stat.getVersion()).forPath(layout.breaker(), data)
          : client.transactionOp().create().forPath(layout.breaker(), data)));
      return Outcome.STORED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.FAILED;
    } catch (KeeperException e) {
      Outcome outcome = refusal(FencedTransaction.Refusal.of(e));
      LOG.warn("could not store the breaker state ({}, {}); the next leader re-evaluates it", e.code(), outcome);
      return outcome;
    } catch (Exception e) {
      LOG.warn("could not store the breaker state", e);
      return Outcome.FAILED;
    }
  }

  /** Which operation of the fenced transaction refused it. */
  static Outcome refusal(FencedTransaction.Refusal refusal) {
    if (refusal.fenced()) {
      return Outcome.FENCED;
    }
    return refusal.failedAt(0, KeeperException.Code.BADVERSION, KeeperException.Code.NODEEXISTS)
        ? Outcome.CHANGED_SINCE_READ : Outcome.FAILED;
  }

  /** Whether the stored state was decided after {@code state}. */
  static boolean isNewer(BreakerState stored, BreakerState state) {
    return stored.decidedAfter(state);
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}
