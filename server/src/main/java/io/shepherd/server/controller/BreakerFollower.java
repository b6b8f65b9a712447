package io.shepherd.server.controller;

import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ClusterView;
import java.io.Closeable;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's {@link MassLossBreaker}, kept in step with the view: it watches the number of live nodes, stores its
 * changes under the leader's fence, and follows the stored state when an operator resets it or another leader
 * opened it. When it closes, {@code onClosed} re-queues everything it held back.
 */
final class BreakerFollower implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(BreakerFollower.class);

  private final MassLossBreaker breaker;
  private final BreakerWrites writes;
  private final ClusterView view;
  private final LeaderFence leader;
  private final Clock clock;
  private final Runnable onClosed;

  BreakerFollower(MassLossBreaker breaker, BreakerWrites writes, ClusterView view, LeaderFence leader, Clock clock,
      Runnable onClosed) {
    this.breaker = breaker;
    this.writes = writes;
    this.view = view;
    this.leader = leader;
    this.clock = clock;
    this.onClosed = onClosed;
  }

  /** The nodes changed: the breaker counts them, and opens or closes. */
  void observeNodes() {
    breaker.observe(view.nodes().size(), clock.instant()).ifPresent(changed -> {
      if (changed.open()) {
        LOG.warn("mass-loss breaker OPEN: {}", changed.reason());
      } else {
        LOG.info("mass-loss breaker closed: {}", changed.reason());
        onClosed.run();
      }
      writes.store(changed, leader.fence());
    });
  }

  /** The stored state changed: an operator reset it, or another leader opened it before a failover. */
  void followStoredBreaker() {
    BreakerState stored = view.breaker();
    BreakerState mine = breaker.state();
    if (!stored.open() && mine.open() && stored.since().isPresent()
        && !stored.since().equals(mine.since())) {
      breaker.reset(view.nodes().size(), clock.instant());
      LOG.info("mass-loss breaker closed: {}", stored.reason());
      onClosed.run();
    } else if (stored.open() && !mine.open()) {
      breaker.adopt(stored);
    }
  }

  BreakerState state() {
    return breaker.state();
  }

  @Override
  public void close() {
    writes.close();
  }
}
