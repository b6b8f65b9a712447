package io.shepherd.worker.agent;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where exits are handled: one at a time, as on a single thread, but on the {@link ExitWatcher} that saw the exit
 * when the task is submitted there, without waking another thread; anything else goes to the agent's exit thread,
 * and so does a task submitted from within another (a copy started again that ended at once), so that exits never
 * nest. Once the exit thread is shut down, tasks are rejected everywhere, as a shut-down executor rejects them.
 */
final class ExitExecutor implements Executor {
  private final ExecutorService exitThread;
  /** Held by every task, inline or on the exit thread: exits are handled one at a time. */
  private final Object turn = new Object();

  ExitExecutor(ExecutorService exitThread) {
    this.exitThread = exitThread;
  }

  @Override
  public void execute(Runnable task) {
    if (ExitWatcher.isCurrent() && !Thread.holdsLock(turn)) {
      if (exitThread.isShutdown()) {
        throw new RejectedExecutionException("the agent's exit thread is shut down");
      }
      runInTurn(task);
    } else {
      exitThread.execute(() -> runInTurn(task));
    }
  }

  private void runInTurn(Runnable task) {
    synchronized (turn) {
      task.run();
    }
  }
}
