package io.shepherd.worker.agent;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One running copy as the launcher started it. Implementations are thread-safe; {@link #terminate} and
 * {@link #kill} may be called any number of times, also after the process ended.
 */
interface CopyProcess {
  /** The pid recorded in the instance and the assignment. */
  long pid();

  /** When the process started, as the operating system reports it (matched against pids on restart). */
  Instant startedAt();

  /** The operating system's start instant, if the copy is a real process: what a leftover record stores. */
  Optional<Instant> osStartInstant();

  /** Completes with the JDK's exit value (see {@link ExitCodes}) once the copy has ended. Never fails. */
  CompletableFuture<Integer> onExit();

  /**
   * Asks the copy to stop: SIGTERM to the process, and SIGCONT after it if the process is stopped (it could not act
   * on the SIGTERM otherwise). Remembers its descendants for {@link #kill}.
   */
  void terminate();

  /** SIGKILL to the process and to every descendant it has or had when {@link #terminate} was called. */
  void kill();

  boolean isAlive();

  /** Completes once the process and every descendant {@link #kill} signalled have ended. */
  CompletableFuture<Void> onTreeExit();
}
