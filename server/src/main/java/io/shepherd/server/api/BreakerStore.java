package io.shepherd.server.api;

import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.worker.zk.CorruptZnodeException;
import io.shepherd.worker.zk.ZkLayout;
import java.util.OptionalInt;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The breaker's {@code /breaker} znode: read from the cache, written compare-and-set on the version just read, as
 * the leader writes it. A leader's transition stored between this read and this write fails the write, which reads
 * again; neither write is lost. A state stored that was decided after the one to store is kept (a 409).
 */
public final class BreakerStore implements BreakerControl {
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final ClusterView view;
  /** Runs between the read and the write: a test's way to land a leader's write exactly there. */
  private final Runnable afterRead;

  public BreakerStore(CuratorFramework client, ZkLayout layout, ClusterView view) {
    this(client, layout, view, () -> { });
  }

  BreakerStore(CuratorFramework client, ZkLayout layout, ClusterView view, Runnable afterRead) {
    this.client = client;
    this.layout = layout;
    this.view = view;
    this.afterRead = afterRead;
  }

  @Override
  public BreakerState current() {
    return view.breaker();
  }

  /**
   * Stores {@code state} at the version just read, reading again when the znode changed in between.
   *
   * @throws ApiException 409 when what is stored was decided after {@code state}, or changed on every attempt
   */
  @Override
  public void store(BreakerState state) throws Exception {
    byte[] data = ServerZnodes.BREAKER.encode(state);
    CompareAndSet.run(OptionalInt.empty(), () -> tooOften(), BreakerStore::tooOften, () -> {
      Stat stat = new Stat();
      byte[] stored;
      try {
        stored = client.getData().storingStatIn(stat).forPath(layout.breaker());
      } catch (KeeperException.NoNodeException e) {
        afterRead.run();
        try {
          client.create().forPath(layout.breaker(), data);
        } catch (KeeperException.NodeExistsException raced) {
          throw new KeeperException.BadVersionException(layout.breaker());
        }
        return state;
      }
      refuseIfNewer(stored, state);
      afterRead.run();
      client.setData().withVersion(stat.getVersion()).forPath(layout.breaker(), data);
      return state;
    });
  }

  private static void refuseIfNewer(byte[] stored, BreakerState state) {
    BreakerState current;
    try {
      current = ServerZnodes.BREAKER.decode(stored);
    } catch (CorruptZnodeException e) {
      return; // Unreadable: overwriting it is what an operator wants.
    }
    if (current.decidedAfter(state)) {
      throw ApiException.conflict("the breaker changed at " + current.since().orElseThrow()
          + ", after this request was made (it is now " + (current.open() ? "open" : "closed") + ": "
          + current.reason() + "); look at it and try again");
    }
  }

  private static ApiException tooOften() {
    return ApiException.conflict("the breaker changed too often under this request; try again");
  }
}
