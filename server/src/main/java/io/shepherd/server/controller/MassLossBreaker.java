package io.shepherd.server.controller;

import io.shepherd.server.state.BreakerState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Tells a mass loss of nodes (a ZooKeeper or network fault: sessions expire together) from real host deaths, and
 * holds back rescheduling while it lasts, so that the few nodes left are not buried under every copy of the
 * cluster. Decides from the live-node counts it is shown and the times given: no clock, no I/O.
 *
 * <p>It opens when, within {@code window}, more than {@code maxLossFraction} of the most nodes seen in that window
 * are gone (and that peak was at least {@code minNodes}). It closes by itself once enough nodes are back that the
 * loss no longer exceeds the fraction, or when an operator resets it. Changes come from the cache's one event
 * thread; {@link #state} may be read from any thread.
 */
final class MassLossBreaker {
  private record Sample(Instant at, int liveNodes) {}

  private final BreakerSettings settings;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private volatile BreakerState state = BreakerState.CLOSED;

  MassLossBreaker(BreakerSettings settings) {
    this.settings = settings;
  }

  BreakerState state() {
    return state;
  }

  /** Records the live-node count at {@code now}; returns the new state when it changes. */
  Optional<BreakerState> observe(int liveNodes, Instant now) {
    samples.addLast(new Sample(now, liveNodes));
    // Ends at the sample just added at the latest: it is never older than now - window (the window is not negative).
    while (samples.peekFirst().at().isBefore(now.minus(settings.window()))) {
      samples.removeFirst();
    }
    if (state.open()) {
      if (!tooManyLost(state.referenceNodes(), liveNodes)) {
        return change(BreakerState.closed(now, liveNodes + " of " + state.referenceNodes() + " nodes are back"));
      }
      return Optional.empty();
    }
    int peak = samples.stream().mapToInt(Sample::liveNodes).max().orElse(liveNodes);
    if (peak >= settings.minNodes() && tooManyLost(peak, liveNodes)) {
      return change(BreakerState.opened(now, peak, (peak - liveNodes) + " of " + peak + " nodes vanished within "
          + settings.window().toSeconds() + "s: rescheduling is held until they return or an operator resets"));
    }
    return Optional.empty();
  }

  /** An operator closed the breaker: the current count becomes the new normal. */
  Optional<BreakerState> reset(int liveNodes, Instant now) {
    samples.clear();
    samples.addLast(new Sample(now, liveNodes));
    return state.open() ? change(BreakerState.closed(now, "reset by an operator")) : Optional.empty();
  }

  /** Takes over a state another leader stored (an open breaker survives a failover). */
  void adopt(BreakerState stored) {
    state = stored;
  }

  private boolean tooManyLost(int reference, int liveNodes) {
    return reference - liveNodes > settings.maxLossFraction() * reference;
  }

  private Optional<BreakerState> change(BreakerState next) {
    state = next;
    return Optional.of(next);
  }
}
