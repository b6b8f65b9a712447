package io.shepherd.client;

import io.shepherd.api.Event;
import io.shepherd.api.EventGap;
import java.net.URI;
import java.util.Optional;

/**
 * Receives an {@link EventSubscription}'s events and news of its connection.
 *
 * <p>All methods are called from the subscription's one background thread, one at a time and in order: an
 * implementation needs no locking of its own, but must return promptly, since the next event waits for it. An
 * exception thrown by a method is logged and otherwise ignored: the event counts as delivered.
 */
@FunctionalInterface
public interface EventListener {
  /**
   * The next event: its id is greater than every id delivered before, none is repeated, and none is skipped unless
   * {@link #onGap} said so first.
   */
  void onEvent(Event event);

  /**
   * Events may be missing between the last one delivered and the next: the server no longer keeps them (it keeps
   * a bounded history) or they happened before it watched. Called before the first event after the gap; the
   * events that follow are in order, as ever. The default does nothing, so a listener that must see every
   * change should override it (e.g. to read the current state again).
   */
  default void onGap(EventGap gap) {}

  /** The subscription is connected to {@code server} and about to read the events after the last delivered. */
  default void onConnected(URI server) {}

  /**
   * The stream broke, or no server could be reached to open it. The subscription reconnects on its own (to the
   * next server if need be, after a growing pause when attempts keep failing) and resumes after the last
   * delivered event; this call only tells why, e.g. for a log line.
   */
  default void onDisconnected(UnavailableException cause) {}

  /**
   * The subscription ended, for good: closed by its owner ({@code failure} empty), or refused by a server with a
   * 4xx answer that another attempt would not change (e.g. the event history no longer reaches back to
   * {@code since}). Called exactly once, last.
   */
  default void onClosed(Optional<ShepherdException> failure) {}
}
