package io.shepherd.worker.agent;

import io.shepherd.worker.zk.CorruptZnodeException;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.io.Closeable;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current controller epoch, as {@link Znodes#EPOCH} reads {@code /epoch}; its absence means 0. Also the
 * transaction that last set it, so that an assignment can be told apart by when it was created. Thread-safe. {@code onChange} runs on Curator's event thread whenever the epoch may have changed.
 */
final class EpochWatch implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(EpochWatch.class);
  private final String path;
  private final CuratorCache cache;
  private final AtomicBoolean initialized = new AtomicBoolean();

  EpochWatch(CuratorFramework client, ZkLayout layout, Runnable onChange) {
    this.path = layout.epoch();
    this.cache = CuratorCache.build(client, path, CuratorCache.Options.SINGLE_NODE_CACHE);
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, oldData, data) -> onChange.run())
        .forInitialized(() -> {
          initialized.set(true);
          onChange.run();
        })
        .build());
  }

  void start() {
    cache.start();
  }

  /** The epoch; empty until first read, or while {@code /epoch} holds something {@link Znodes#EPOCH} refuses. */
  Optional<Epoch> current() {
    if (!initialized.get()) {
      return Optional.empty();
    }
    return cache.get(path).map(EpochWatch::parse).orElse(Optional.of(new Epoch(0, 0)));
  }

  private static Optional<Epoch> parse(ChildData data) {
    try {
      return Optional.of(new Epoch(Znodes.EPOCH.decode(data.getData()), data.getStat().getMzxid()));
    } catch (CorruptZnodeException e) {
      // Launching nothing is the safe side: an epoch we cannot read cannot fence anything.
      LOG.error("{}; no assignment is admitted until it is a decimal number", e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    cache.close();
  }
}
