package io.shepherd.worker.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops copies the Unix way without ever blocking the caller: SIGTERM now, SIGKILL to the process and its
 * descendants once the grace period is over. Thread-safe; stopping a copy twice keeps the earlier deadline.
 */
final class StopScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(StopScheduler.class);
  private final ScheduledExecutorService timers;
  private final Clock clock;
  private volatile Consumer<Copy> onStopping = c -> { };

  StopScheduler(ScheduledExecutorService timers, Clock clock) {
    this.timers = timers;
    this.clock = clock;
  }

  /** Called with each copy about to get SIGTERM, before it does (the copy is marked unready there). */
  void onStopping(Consumer<Copy> hook) {
    this.onStopping = hook;
  }

  /** Stops a copy that failed (a probe): its end is recorded as its failure with {@code reason}. */
  void stopAsFailure(Copy copy, Duration grace, String reason) {
    copy.failing(reason);
    stop(copy, grace, reason);
  }

  /** SIGTERM now, SIGKILL after {@code grace} (also if the process ended before: its descendants may not have). */
  void stop(Copy copy, Duration grace, String reason) {
    Duration g = grace.isNegative() ? Duration.ZERO : grace;
    if (!copy.stopping(reason, clock.instant().plus(g))) {
      return;
    }
    LOG.info("stopping {}: {}; SIGKILL in {} ms", copy, reason, g.toMillis());
    onStopping.accept(copy);
    copy.process().terminate();
    timers.schedule(() -> kill(copy), g.toMillis(), TimeUnit.MILLISECONDS);
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
