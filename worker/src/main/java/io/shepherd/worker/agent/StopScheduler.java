package io.shepherd.worker.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops copies the Unix way without ever blocking the caller: the copy is drained first, then SIGTERM, then SIGKILL
 * to the process and its descendants once the grace period is over. Thread-safe; stopping a copy twice keeps the
 * earlier deadline.
 *
 * <p>Draining: a copy that was ready is marked unready, and its SIGTERM waits until ZooKeeper has acknowledged that
 * write (at most {@link #UNREADY_WRITE_WAIT}) and then for the drain delay, the time every gateway and client
 * needs to see the flag before the copy stops accepting connections. A copy that was not ready, or whose flag
 * cannot be written (no connection, no instance), gets its SIGTERM at once.
 */
final class StopScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(StopScheduler.class);
  /** How long a SIGTERM waits for the unready write at most. */
  static final Duration UNREADY_WRITE_WAIT = Duration.ofSeconds(2);
  private final ScheduledExecutorService timers;
  private final Clock clock;
  private final Duration drainDelay;
  private volatile Function<Copy, CompletableFuture<Boolean>> onStopping =
      c -> CompletableFuture.completedFuture(false);

  StopScheduler(ScheduledExecutorService timers, Clock clock) {
    this(timers, clock, Duration.ZERO);
  }

  StopScheduler(ScheduledExecutorService timers, Clock clock, Duration drainDelay) {
    this.timers = timers;
    this.clock = clock;
    this.drainDelay = drainDelay;
  }

  /**
   * Called with each copy about to get SIGTERM, before it does (the copy is marked unready there); completes with
   * true once an unready flag was written, false if there was none to write.
   */
  void onStopping(Function<Copy, CompletableFuture<Boolean>> hook) {
    this.onStopping = hook;
  }

  /** The longest a stop waits before its SIGTERM: the unready write and the drain delay. */
  Duration drainBound() {
    return UNREADY_WRITE_WAIT.plus(drainDelay);
  }

  /** Stops a copy that failed (a probe): its end is recorded as its failure with {@code reason}. */
  void stopAsFailure(Copy copy, Duration grace, String reason) {
    copy.failing(reason);
    stop(copy, grace, reason);
  }

  /**
   * Drains the copy, then SIGTERM, then SIGKILL after {@code grace} (also if the process ended before: its
   * descendants may not have).
   */
  void stop(Copy copy, Duration grace, String reason) {
    Duration g = grace.isNegative() ? Duration.ZERO : grace;
    if (!copy.stopping(reason, clock.instant().plus(g))) {
      return;
    }
    CompletableFuture<Boolean> unready;
    try {
      unready = onStopping.apply(copy);
    } catch (RuntimeException e) {
      LOG.warn("cannot mark {} unready before stopping it", copy, e);
      unready = CompletableFuture.completedFuture(false);
    }
    unready.completeOnTimeout(false, UNREADY_WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((written, error) -> {
          if (Boolean.TRUE.equals(written) && drainDelay.toMillis() > 0) {
            LOG.info("draining {}: marked unready; SIGTERM in {} ms", copy, drainDelay.toMillis());
            try {
              timers.schedule(() -> terminate(copy, g, reason), drainDelay.toMillis(), TimeUnit.MILLISECONDS);
              return;
            } catch (RejectedExecutionException closing) {
              LOG.debug("timers closing: no drain delay for {}", copy);
            }
          }
          terminate(copy, g, reason);
        });
  }

  private void terminate(Copy copy, Duration grace, String reason) {
    LOG.info("stopping {}: {}; SIGKILL in {} ms", copy, reason, grace.toMillis());
    copy.process().terminate();
    try {
      timers.schedule(() -> kill(copy), grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      kill(copy);
    }
  }

  /** Runs {@code task} on the timer thread after {@code delay}: a copy's next start after its backoff. */
  void after(Duration delay, Runnable task) {
    timers.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** SIGKILL now: for copies that were never announced. */
  void killNow(Copy copy, String reason) {
    copy.stopping(reason, clock.instant());
    LOG.info("killing {}: {}", copy, reason);
    kill(copy);
  }

  private static void kill(Copy copy) {
    if (copy.process().isAlive()) {
      LOG.info("grace period over: SIGKILL to {}", copy);
    }
    copy.process().kill();
  }
}
