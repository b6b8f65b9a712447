package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  @Test
  void aQueueIsIdleOnlyOnceEveryHandedOutNameIsDone() throws Exception {
    try (WorkQueue queue = new WorkQueue()) {
      assertThat(queue.awaitIdle(Duration.ZERO)).isTrue();
      queue.add("web");
      assertThat(queue.awaitIdle(Duration.ofMillis(10))).isFalse();
      assertThat(queue.pollBatch(Duration.ofSeconds(1), 64)).containsExactly("web");
      assertThat(queue.awaitIdle(Duration.ofMillis(10))).as("web is still being reconciled").isFalse();

      CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
        try {
          return queue.awaitIdle(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      queue.done(1);
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aBatchHoldsEachNameOnceAndANameAddedDuringItsBatchComesInTheNext() throws Exception {
    try (WorkQueue queue = new WorkQueue()) {
      queue.add("web");
      queue.add("api");
      queue.add("web");

      assertThat(queue.pollBatch(Duration.ofSeconds(1), 64)).containsExactly("web", "api");
      queue.add("web"); // an event while web is being reconciled
      assertThat(queue.awaitIdle(Duration.ofMillis(10))).isFalse();
      queue.done(2);

      assertThat(queue.pollBatch(Duration.ofSeconds(1), 64)).containsExactly("web");
      queue.done(1);
      assertThat(queue.awaitIdle(Duration.ZERO)).isTrue();
    }
  }

  @Test
  void aBatchTakesAtMostItsSizeAndLeavesTheRestWaiting() throws Exception {
    try (WorkQueue queue = new WorkQueue()) {
      queue.add("a");
      queue.add("b");
      queue.add("c");

      assertThat(queue.pollBatch(Duration.ofSeconds(1), 2)).containsExactly("a", "b");
      assertThat(queue.pollBatch(Duration.ZERO, 2)).containsExactly("c");
      assertThat(queue.pollBatch(Duration.ZERO, 2)).as("nothing waits").isEmpty();
    }
  }
}
