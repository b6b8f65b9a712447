package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where exits are handled: on the watcher that saw the exit, or on the exit thread; one at a time either way. */
class ExitExecutorTest {
  private final ExecutorService exitThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-exits"));
  private final ExitExecutor executor = new ExitExecutor(exitThread);
  private Process child;

  @AfterEach
  void tearDown() {
    exitThread.shutdownNow();
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @Test
  void anExitIsHandledOnTheWatcherThatSawItWithoutAHandOff() throws Exception {
    CompletableFuture<Integer> exit = watchedChild();
    CompletableFuture<String> handledOn = new CompletableFuture<>();
    exit.whenCompleteAsync((v, e) -> handledOn.complete(Thread.currentThread().getName()), executor);

    child.destroy();

    assertThat(handledOn.get(10, TimeUnit.SECONDS)).isEqualTo("shepherd-agent-exit-" + child.pid());
  }

  @Test
  void aTaskFromAnyOtherThreadRunsOnTheExitThread() throws Exception {
    CompletableFuture<String> ranOn = new CompletableFuture<>();

    executor.execute(() -> ranOn.complete(Thread.currentThread().getName()));

    assertThat(ranOn.get(10, TimeUnit.SECONDS)).isEqualTo("test-exits");
  }

  @Test
  void aTaskSubmittedWithinAnotherRunsAfterItOnTheExitThreadNotNested() throws Exception {
    CompletableFuture<Integer> exit = watchedChild();
    List<String> steps = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    exit.whenCompleteAsync((v, e) -> {
      executor.execute(() -> {
        steps.add("inner on " + Thread.currentThread().getName());
        done.complete(null);
      });
      steps.add("outer done");
    }, executor);

    child.destroy();

    done.get(10, TimeUnit.SECONDS);
    assertThat(steps).containsExactly("outer done", "inner on test-exits");
  }

  @Test
  void onceTheExitThreadIsShutDownAnExitIsNotHandled() throws Exception {
    CompletableFuture<Integer> exit = watchedChild();
    CompletableFuture<Integer> handled = exit.whenCompleteAsync((v, e) -> { }, executor);
    exitThread.shutdown();

    child.destroy();

    assertThatThrownBy(() -> handled.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }

  private CompletableFuture<Integer> watchedChild() throws Exception {
    child = new ProcessBuilder("sleep", "60").start();
    return ExitWatcher.watch(child);
  }
}
