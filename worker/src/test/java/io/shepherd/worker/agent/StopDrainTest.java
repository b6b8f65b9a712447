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
    StopScheduler stopper = new StopScheduler(timers, Clock.systemUTC(), Duration.ofMillis(200));
    CompletableFuture<Boolean> unreadyWritten = new CompletableFuture<>();
    List<String> order = new CopyOnWriteArrayList<>();
    stopper.onStopping(c -> {
      order.add("unready requested");
      return unreadyWritten;
    });

    stopper.stop(copy(), Duration.ofMinutes(1), "scaled down");

    assertThat(order).containsExactly("unready requested");
    assertThat(signals).isEmpty();
    unreadyWritten.complete(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> signals.contains("SIGTERM"));
    assertThat(signals).containsExactly("SIGTERM");
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
}
