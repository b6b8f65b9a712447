package io.shepherd.server.controller;

import java.time.Duration;

/**
 * The reconcile queue as benchmarks and fault tests drive it. {@code resyncNow(); awaitIdle(...)} times a full
 * resync; {@code pause()}, {@code dropQueued()}, {@code resume()} make a controller that missed events.
 */
public interface QueueControl {
  /** Re-queues every replica set now, as the periodic resync does. */
  void resyncNow();

  /**
   * Waits until the queue is drained: no replica set waiting or being reconciled (those scheduled for later, such as
   * backoffs, do not count).
   *
   * @return false if the queue was still busy after {@code timeout}
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException;

  /** Holds reconciliation back while events keep arriving. */
  void pause();

  void resume();

  /**
   * Forgets every replica set waiting in the queue, as if the events that named them had been missed: only the
   * periodic resync, or {@link #resyncNow}, brings them back. Backoff and timeout wake-ups still to come are kept.
   */
  void dropQueued();
}
