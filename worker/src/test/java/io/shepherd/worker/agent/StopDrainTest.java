package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.OnPartition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stop drains the copy first: the SIGTERM waits until its unready flag is written and then for the drain delay;
 * a copy that was not ready, or whose flag cannot be written, gets it at once; a write that never completes holds
 * the SIGTERM back only for a bounded time.
 */
class StopDrainTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final List<String> signals = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  private Copy copy() {
    AssignmentRecord a = AssignmentRecord.assigned("web-1", "web", "n1", List.of("app"), Map.of(), Optional.empty(),
        60_000, OnPartition.KEEP_RUNNING, 1, 1, Instant.EPOCH);
    return new Copy(a, new CopyProcess() {
      @Override
      public long pid() {
        return 1;
      }

      @Override
      public Instant startedAt() {
        return Instant.EPOCH;
      }

      @Override
      public Optional<Instant> osStartInstant() {
        return Optional.empty();
      }

      @Override
      public CompletableFuture<Integer> onExit() {
        return new CompletableFuture<>();
      }

      @Override
      public void terminate() {
        signals.add("SIGTERM");
      }

      @Override
      public void kill() {
        signals.add("SIGKILL");
      }

      @Override
      public boolean isAlive() {
        return true;
      }

      @Override
      public CompletableFuture<Void> onTreeExit() {
        return new CompletableFuture<>();
      }
    });
  }

  @Test
  void theSigtermWaitsForTheUnreadyWriteAndThenTheDrainDelay() {
    HeldTimers held = new HeldTimers();
    try {
      StopScheduler stopper = new StopScheduler(held, Clock.systemUTC(), Duration.ofMillis(200));
      CompletableFuture<Boolean> unreadyWritten = new CompletableFuture<>();
      List<String> order = new CopyOnWriteArrayList<>();
      stopper.onStopping(c -> {
        order.add("unready requested");
        return unreadyWritten;
      });

      stopper.stop(copy(), Duration.ofMinutes(1), "scaled down");

      assertThat(order).containsExactly("unready requested");
      assertThat(held.delays).as("nothing scheduled before the unready write").isEmpty();
      assertThat(signals).isEmpty();

      unreadyWritten.complete(true);

      assertThat(held.delays).as("the SIGTERM is put off by the drain delay").containsExactly(Duration.ofMillis(200));
      assertThat(signals).as("not before the drain delay is over").isEmpty();

      held.runNext();

      assertThat(signals).containsExactly("SIGTERM");
      assertThat(held.delays).as("then the SIGKILL by the grace period")
          .containsExactly(Duration.ofMillis(200), Duration.ofMinutes(1));
    } finally {
      held.shutdownNow();
    }
  }

  @Test
  void aCopyThatWasNotReadyGetsItsSigtermAtOnce() {
    StopScheduler stopper = new StopScheduler(timers, Clock.systemUTC(), Duration.ofMinutes(10));
    stopper.onStopping(c -> CompletableFuture.completedFuture(false));

    stopper.stop(copy(), Duration.ofMinutes(1), "scaled down");

    // No drain delay of ten minutes: nothing was written, nothing to wait for.
    await().atMost(Duration.ofSeconds(10)).until(() -> signals.contains("SIGTERM"));
  }

  @Test
  void anUnreadyWriteThatNeverCompletesHoldsTheSigtermBackOnlyForAWhile() {
    StopScheduler stopper = new StopScheduler(timers, Clock.systemUTC(), Duration.ofMinutes(10));
    stopper.onStopping(c -> new CompletableFuture<>());

    stopper.stop(copy(), Duration.ofMinutes(1), "ZooKeeper unreachable");

    await().atMost(StopScheduler.UNREADY_WRITE_WAIT.plusSeconds(10)).until(() -> signals.contains("SIGTERM"));
  }

  @Test
  void theGracePeriodRunsFromTheSigterm() {
    StopScheduler stopper = new StopScheduler(timers, Clock.systemUTC(), Duration.ZERO);
    stopper.onStopping(c -> CompletableFuture.completedFuture(true));

    stopper.stop(copy(), Duration.ZERO, "deleted");

    await().atMost(Duration.ofSeconds(10)).until(() -> signals.equals(List.of("SIGTERM", "SIGKILL")));
  }

  /**
   * Timers that run nothing by themselves: each task is held with the delay it asked for, and the test runs it, so a
   * delay is checked as asked for, not as wall time.
   */
  private static final class HeldTimers extends ScheduledThreadPoolExecutor {
    final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final List<Runnable> tasks = new CopyOnWriteArrayList<>();

    HeldTimers() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
      delays.add(Duration.of(delay, unit.toChronoUnit()));
      tasks.add(task);
      return super.schedule(() -> { }, 1, TimeUnit.DAYS);
    }

    void runNext() {
      tasks.remove(0).run();
    }
  }
}
