package io.shepherd.worker.gateway;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Round-robin choice among an exposed set's targets: each new connection starts one further along; a connection
 * whose connect failed takes the next target it has not tried yet. Thread-safe; the choice itself is pure given the
 * turn.
 */
final class RoundRobin {
  private final AtomicLong turn = new AtomicLong();

  /** The target for a new connection's first try; empty when there is none. */
  Optional<Target> first(List<Target> targets) {
    return pick(targets, turn.getAndIncrement(), Set.of());
  }

  /** The target for the next try of a connection that already tried {@code tried}; empty when all were tried. */
  Optional<Target> next(List<Target> targets, Set<Target> tried) {
    return pick(targets, turn.getAndIncrement(), tried);
  }

  /**
   * The first target at or after position {@code turn} (modulo the size, wrapping around) not in {@code tried}.
   */
  static Optional<Target> pick(List<Target> targets, long turn, Set<Target> tried) {
    int n = targets.size();
    for (int i = 0; i < n; i++) {
      Target t = targets.get((int) Math.floorMod(turn + i, (long) n));
      if (!tried.contains(t)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
