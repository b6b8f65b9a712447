package io.shepherd.server.controller;

import io.shepherd.server.state.Versioned;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this server controls, and the {@link Fence} that proves it. A {@code LeaderLatch} on {@code /leader}
 * elects; the winner then increments {@code /epoch} in a transaction that checks its own latch node, and only
 * then holds a fence.
 *
 * <p>Losing leadership is immediate and never waits on anything: the latch's {@code notLeader}, or a SUSPENDED or
 * LOST connection, clears the fence on the thread that reports it. Claiming (the epoch write) runs on its own
 * thread, and a claim that finishes after leadership was lost again is discarded (generations).
 */
final class Leadership implements LeaderFence, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final LeaderLatch latch;
  private final Runnable onLeading;
  private final Supplier<Optional<Versioned<Long>>> cachedEpoch;
  private final AtomicReference<Fence> fence = new AtomicReference<>();
  private final AtomicLong generation = new AtomicLong();
  private final ExecutorService claimer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "shepherd-leadership");
    t.setDaemon(true);
    return t;
  });
  private final ConnectionStateListener connectionListener = this::onConnectionState;
  private final LeaderLatchListener latchListener = new LeaderLatchListener() {
    @Override
    public void isLeader() {
      long claimOf = generation.incrementAndGet();
      claimer.execute(() -> claim(claimOf, true));
    }

    @Override
    public void notLeader() {
      lose("the latch reports another leader");
    }
  };

  /**
   * @param cachedEpoch {@code /epoch} as this server's cache holds it (empty if absent); a hint for the first claim
   */
  Leadership(CuratorFramework client, ZkLayout layout, String serverId, Supplier<Optional<Versioned<Long>>> cachedEpoch,
      Runnable onLeading) {
    this.client = client;
    this.layout = layout;
    this.latch = new LeaderLatch(client, layout.leader(), serverId, LeaderLatch.CloseMode.NOTIFY_LEADER);
    this.cachedEpoch = cachedEpoch;
    this.onLeading = onLeading;
  }

  void start() throws Exception {
    // Starts the claiming thread now rather than in the first claim, which a failover waits for.
    claimer.execute(() -> { });
    client.getConnectionStateListenable().addListener(connectionListener);
    latch.addListener(latchListener);
    latch.start();
  }

  /** The fence to write under, while this server leads and has claimed its epoch. */
  @Override
  public Optional<Fence> fence() {
    Fence f = fence.get();
    return f != null && latch.hasLeadership() ? Optional.of(f) : Optional.empty();
  }

  @Override
  public boolean isLeader() {
    return fence().isPresent();
  }

  /** Called when a fenced write failed: maybe a newer leader exists; stop acting until the latch says again. */
  @Override
  public void fenceRejected(Fence rejected) {
    if (fence.compareAndSet(rejected, null)) {
      LOG.warn("epoch {} was fenced off: a newer leader exists or the latch node is gone; not acting", rejected.epoch());
      if (latch.hasLeadership()) {
        // Still first in the latch (our node survived a reconnect with a stale claim): claim a new epoch.
        long claimOf = generation.incrementAndGet();
        claimer.execute(() -> claim(claimOf, false));
      }
    }
  }

  private void onConnectionState(CuratorFramework c, ConnectionState state) {
    switch (state) {
      case SUSPENDED, LOST -> lose("connection " + state);
      default -> { }
    }
  }

  private void lose(String why) {
    generation.incrementAndGet();
    Fence old = fence.getAndSet(null);
    if (old != null) {
      LOG.info("leadership of epoch {} lost: {}", old.epoch(), why);
    }
  }

  private void claim(long claimOf, boolean fromCache) {
    try {
      boolean cached = fromCache;
      while (generation.get() == claimOf && latch.hasLeadership()) {
        String ourPath = latch.getOurPath();
        // The cache's copy saves two round trips on a failover; a stale one fails the version check and is read anew.
        Versioned<Long> current = cached ? cachedEpoch.get().orElse(null) : null;
        cached = false;
        if (current == null) {
          current = readEpoch();
        }
        long next = current.value() + 1;
        CuratorOp checkLatch = client.transactionOp().check().forPath(ourPath);
        CuratorOp bump = client.transactionOp().setData().withVersion(current.version())
            .forPath(layout.epoch(), Znodes.EPOCH.encode(next));
        try {
          client.transaction().forOperations(checkLatch, bump);
        } catch (KeeperException.BadVersionException e) {
          continue;
        }
        Fence won = new Fence(next, current.version() + 1, ourPath);
        if (generation.get() == claimOf && latch.hasLeadership()) {
          fence.set(won);
          LOG.info("leading with epoch {}", next);
          onLeading.run();
        }
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("could not claim the controller epoch; will try again when the latch reports leadership: {}", e.toString());
      if (generation.get() == claimOf && latch.hasLeadership()) {
        claimer.execute(() -> claim(claimOf, false));
      }
    }
  }

  private Versioned<Long> readEpoch() throws Exception {
    Stat stat = new Stat();
    try {
      client.create().creatingParentContainersIfNeeded().forPath(layout.epoch(), Znodes.EPOCH.encode(0L));
    } catch (KeeperException.NodeExistsException e) {
      // Normal: an earlier leader created it.
    }
    // A corrupt epoch fails the claim (CorruptZnodeException): no fence can be built on a number that cannot be read.
    return new Versioned<>(Znodes.EPOCH.decode(client.getData().storingStatIn(stat).forPath(layout.epoch())),
        stat.getVersion());
  }

  /** The id of this server's latch participant. */
  String serverId() {
    return latch.getId();
  }

  @Override
  public void close() throws IOException {
    lose("closing");
    client.getConnectionStateListenable().removeListener(connectionListener);
    claimer.shutdownNow();
    if (latch.getState() == LeaderLatch.State.STARTED) {
      latch.close();
    }
  }
}
