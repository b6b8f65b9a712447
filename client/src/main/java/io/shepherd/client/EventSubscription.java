package io.shepherd.client;

import java.io.Closeable;
import java.util.OptionalLong;

/**
 * A running subscription to the event stream, from {@link ShepherdClient#events}. Thread-safe.
 */
public interface EventSubscription extends Closeable {
  /** The id of the last event delivered to the listener, or the {@code since} it started from, if any. */
  OptionalLong lastEventId();

  /** Whether the subscription still runs: neither closed nor ended by a refusal. */
  boolean isOpen();

  /**
   * Ends the subscription: its connection is closed and its thread stops. Called from any thread but the
   * listener's own, it returns once that thread has stopped, {@link EventListener#onClosed} included, so no
   * callback follows it. Idempotent.
   */
  @Override
  void close();
}
