package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probes' one thread: tasks from anywhere run on it, timers in the order they are due, cancelled ones never. */
class ProbeLoopTest {
  private final ProbeLoop loop = new ProbeLoop("test-probes");

  @AfterEach
  void tearDown() {
    loop.close();
  }

  @Test
  void aTaskFromAnotherThreadRunsOnTheLoopThread() throws Exception {
    CompletableFuture<String> ran = new CompletableFuture<>();

    loop.execute(() -> ran.complete(Thread.currentThread().getName()));

    assertThat(ran.get(20, TimeUnit.SECONDS)).isEqualTo("test-probes");
  }

  @Test
  void timersRunInTheOrderTheyAreDueAndACancelledOneNever() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> last = new CompletableFuture<>();
    loop.execute(() -> {
      loop.schedule(60, () -> order.add("60 ms"));
      loop.schedule(20, () -> order.add("20 ms"));
      ProbeLoop.Timer cancelled = loop.schedule(40, () -> order.add("cancelled"));
      loop.schedule(0, () -> order.add("now, first"));
      loop.schedule(0, () -> order.add("now, second"));
      loop.schedule(100, () -> last.complete(null));
      cancelled.cancel();
    });

    last.get(20, TimeUnit.SECONDS);
    assertThat(order).containsExactly("now, first", "now, second", "20 ms", "60 ms");
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheLoop() throws Exception {
    CompletableFuture<Boolean> after = new CompletableFuture<>();

    loop.execute(() -> {
      throw new IllegalStateException("boom");
    });
    loop.schedule(0, () -> after.complete(loop.inLoop()));

    assertThat(after.get(20, TimeUnit.SECONDS)).isTrue();
  }
}
