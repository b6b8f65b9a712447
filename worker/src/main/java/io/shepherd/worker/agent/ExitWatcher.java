package io.shepherd.worker.agent;

import java.util.concurrent.CompletableFuture;

/**
 * The thread that waits for one child process to end, and on which its end is handled. The JDK's own
 * {@link Process#onExit()} completes asynchronously on the common pool, and on a machine with two cores or fewer
 * that pool has a parallelism of 1, for which {@code CompletableFuture} starts a new thread per task: a thread start
 * and a wake-up between the JDK's reaper and the agent at every exit (docs/PERFORMANCE.md, benchmark 1). This thread
 * is woken by the reaper directly, and the agent handles the exit on it ({@link ExitExecutor}): a copy restarted in
 * place is started again from here. It ends once the exit is handled.
 */
final class ExitWatcher extends Thread {
  private final Process process;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private ExitWatcher(Process process) {
    // Named for the agent: its children are the copies it starts again, found under the agent's threads.
    super("shepherd-agent-exit-" + process.pid());
    this.process = process;
    setDaemon(true);
  }

  /** Starts a watcher for {@code process}: the future completes with its exit value, on the watcher. */
  static CompletableFuture<Integer> watch(Process process) {
    ExitWatcher watcher = new ExitWatcher(process);
    watcher.start();
    return watcher.exit;
  }

  /** Whether the calling thread is a watcher, where an exit may be handled without a hand-off. */
  static boolean isCurrent() {
    return Thread.currentThread() instanceof ExitWatcher;
  }

  @Override
  public void run() {
    boolean interrupted = false;
    while (true) {
      try {
        exit.complete(process.waitFor());
        break;
      } catch (InterruptedException e) {
        interrupted = true; // nothing interrupts it on purpose; the exit is still to be reported
      }
    }
    if (interrupted) {
      interrupt();
    }
  }
}
