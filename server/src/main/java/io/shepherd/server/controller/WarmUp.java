package io.shepherd.server.controller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the decision and write path without writing anything, on a standby as on a leader, once the view is first
 * read: otherwise class loading, the JIT, Jackson's serializer for assignments and the seeding of instance ids cost
 * a new leader tens of milliseconds in its first decisions after a failover (docs/PERFORMANCE.md, benchmark 3).
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  /**
   * How many decisions are made, and thrown away: enough for the JIT to compile the decision path, which a standby
   * otherwise never runs. Interpreted, a decision took ~1 ms per replica set, so a new leader of 1,000 sets spent a
   * second deciding after a failover; compiled, it takes tens of microseconds.
   */
  private static final int DECISIONS = 20_000;
  /** At most this long is spent on those decisions (about half a second of CPU for 20,000 here). */
  private static final Duration BUDGET = Duration.ofSeconds(2);

  private final ReconcileLoop.Snapshots snapshots;
  private final ReconcileLoop.Decider decider;
  private final PlanExecutor executor;
  private final Clock clock;
  /** While true the warm-up goes on: a leader's real decisions warm the path as well, without taking its CPU. */
  private final BooleanSupplier wanted;

  WarmUp(ReconcileLoop.Snapshots snapshots, ReconcileLoop.Decider decider, PlanExecutor executor, Clock clock,
      BooleanSupplier wanted) {
    this.snapshots = snapshots;
    this.decider = decider;
    this.executor = executor;
    this.clock = clock;
    this.wanted = wanted;
  }

  void run() {
    try {
      List<String> names = List.copyOf(snapshots.replicaSetNames());
      long until = System.nanoTime() + BUDGET.toNanos();
      int decisions = 0;
      while (!names.isEmpty() && decisions < DECISIONS && System.nanoTime() < until && wanted.getAsBoolean()) {
        Instant now = clock.instant();
        for (String name : names) {
          decider.decide(snapshots.snapshot(name, now, Map.of(), Map.of()), now);
        }
        decisions += names.size();
      }
      executor.warmUp();
    } catch (RuntimeException e) {
      LOG.debug("warm-up failed; the first decisions as leader will be slower", e);
    }
  }
}
