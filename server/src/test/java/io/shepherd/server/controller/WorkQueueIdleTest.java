package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkQueueIdleTest {
  @Test
  void aQueueIsIdleOnlyOnceEveryHandedOutNameIsDone() throws Exception {
    try (WorkQueue queue = new WorkQueue()) {
      assertThat(queue.awaitIdle(Duration.ZERO)).isTrue();
      queue.add("web");
      assertThat(queue.awaitIdle(Duration.ofMillis(10))).isFalse();
      assertThat(queue.poll(Duration.ofSeconds(1))).contains("web");
      assertThat(queue.awaitIdle(Duration.ofMillis(10))).as("web is still being reconciled").isFalse();

      CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
        try {
          return queue.awaitIdle(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      queue.done();
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
