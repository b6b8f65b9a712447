package io.shepherd.server.events;

import io.shepherd.api.Event;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last N events this server reported, in id order, and the live {@link Subscription}s.
 *
 * <p>{@link #publish} never blocks on a subscriber (it is called on the ingest's thread): each subscriber has a
 * bounded queue, and one that overflows is ended and resumes later from its last id. {@link #subscribe} is atomic
 * with publishing: a subscriber gets every event after its resume point exactly once, from the kept events and then
 * live, with nothing lost or repeated in between. Thread-safe.
 */
public final class EventJournal implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);

  private final Event[] ring;
  private final int subscriberQueue;
  private final Set<Subscription> subscribers = new LinkedHashSet<>();
  private int oldest;
  private long lastId;
  private int size;
  /** Events with ids up to this one may be missing here: evicted, or before this server watched. -1: none. */
  private long horizon = -1;
  /** Set by {@link #missed}: the newest id before a hole the next event closes. */
  private OptionalLong missedAfter = OptionalLong.empty();
  private boolean closed;

  /**
   * @param capacity        how many events are kept for resuming subscribers
   * @param subscriberQueue how many events a live subscriber may fall behind before it is disconnected
   */
  public EventJournal(int capacity, int subscriberQueue) {
    if (capacity < 1 || subscriberQueue < 1) {
      throw new IllegalArgumentException("capacity and subscriber queue must be positive");
    }
    this.ring = new Event[capacity];
    this.subscriberQueue = subscriberQueue;
  }

  /** Keeps an event and hands it to every live subscriber. Ids must grow; one that does not is dropped. */
  public synchronized void publish(Event event) {
    lastId = Math.max(lastId, event.id());
    if (closed) {
      return;
    }
    if (size > 0 && event.id() <= newest().id()) {
      LOG.warn("dropping event {} ({}): not after the newest kept event {}", event.id(), event.type(), newest().id());
      return;
    }
    if (size == 0 && horizon < 0) {
      horizon = event.id() - 1; // this server cannot vouch for anything before the first change it saw
    }
    if (missedAfter.isPresent()) {
      // The first event after the hole bounds it: tell live subscribers before it, and resuming ones from now on.
      Subscription.Gap gap = new Subscription.Gap(missedAfter.getAsLong(), event.id() - 1);
      missedAfter = OptionalLong.empty();
      horizon = Math.max(horizon, gap.upTo());
      subscribers.removeIf(s -> !s.offer(gap));
    }
    if (size == ring.length) {
      horizon = ring[oldest].id();
      ring[oldest] = event;
      oldest = (oldest + 1) % ring.length;
    } else {
      ring[(oldest + size) % ring.length] = event;
      size++;
    }
    subscribers.removeIf(s -> !s.offer(event));
  }

  /**
   * This server may not have seen some changes (it was disconnected from ZooKeeper and read the whole tree again):
   * the events after the newest one published so far, up to the next one, may be missing. Live subscribers get that
   * hole in their stream before the next event; a subscriber resuming from before it gets it when it subscribes.
   */
  public synchronized void missed() {
    if (missedAfter.isEmpty()) {
      missedAfter = OptionalLong.of(lastId);
    }
  }

  /**
   * A new subscriber: with {@code since}, every kept event after it and then live events; without, live events only.
   * A subscription after {@link #close} is already ended.
   */
  public synchronized Subscription subscribe(OptionalLong since) {
    List<Event> backlog = since.isPresent() ? after(since.getAsLong()) : List.of();
    OptionalLong gap = since.isPresent() && since.getAsLong() < horizon ? OptionalLong.of(horizon)
        : OptionalLong.empty();
    Subscription s = new Subscription(this, backlog, gap, subscriberQueue, since.orElse(lastId));
    if (closed) {
      s.end(Subscription.End.SHUTDOWN);
    } else {
      subscribers.add(s);
    }
    return s;
  }

  synchronized void unsubscribe(Subscription s) {
    subscribers.remove(s);
  }

  /** The kept events, oldest first. */
  public synchronized List<Event> events() {
    return after(-1);
  }

  public synchronized int subscriberCount() {
    return subscribers.size();
  }

  private List<Event> after(long id) {
    // Binary search for the first kept event after id: the ring is sorted by id.
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (at(mid).id() <= id) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    List<Event> out = new ArrayList<>(size - lo);
    for (int i = lo; i < size; i++) {
      out.add(at(i));
    }
    return out;
  }

  private Event at(int i) {
    return ring[(oldest + i) % ring.length];
  }

  private Event newest() {
    return at(size - 1);
  }

  /** Ends every subscription (the server is stopping) and refuses new events. */
  @Override
  public synchronized void close() {
    closed = true;
    subscribers.forEach(s -> s.end(Subscription.End.SHUTDOWN));
    subscribers.clear();
  }
}
