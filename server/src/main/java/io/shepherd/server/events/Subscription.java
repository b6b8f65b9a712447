package io.shepherd.server.events;

import io.shepherd.api.Event;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One subscriber of the {@link EventJournal}: the kept events after its resume point, then live events through a
 * bounded queue. The journal never waits for a subscriber: one whose queue is full is ended ({@link End#TOO_SLOW})
 * and may resume from the last event it got. One thread consumes a subscription; the journal feeds it.
 */
public final class Subscription implements Closeable {
  /** Why a subscription ended. */
  public enum End {
    /** Its queue overflowed: it did not keep up. The events queued before are still delivered. */
    TOO_SLOW,
    /** The server is stopping. */
    SHUTDOWN,
    /** The subscriber closed it. */
    CLOSED
  }

  /**
   * What {@link #next} found: events to send (possibly none: time for a keep-alive), or the end once every
   * deliverable event was taken.
   */
  public record Batch(List<Event> events, Optional<End> end) {}

  private final EventJournal journal;
  private final List<Event> backlog;
  private final OptionalLong gapUpTo;
  private final long startsAfter;
  private final int capacity;
  private final ArrayDeque<Event> queue = new ArrayDeque<>();
  private End end;

  Subscription(EventJournal journal, List<Event> backlog, OptionalLong gapUpTo, int capacity, long startsAfter) {
    this.startsAfter = startsAfter;
    this.journal = journal;
    this.backlog = List.copyOf(backlog);
    this.gapUpTo = gapUpTo;
    this.capacity = capacity;
  }

  /** The kept events after the resume point, oldest first; send them before any {@link #next} batch. */
  /**
   * The id this subscription's events come after: the resume point, or, for a subscription from now on, the last
   * event published before it began (0 if none). Sent first, as an id-only frame, so that a client cut off before
   * the first event still resumes without a gap.
   */
  public long startsAfter() {
    return startsAfter;
  }

  public List<Event> backlog() {
    return backlog;
  }

  /**
   * When events after the resume point may be missing here (no longer kept, or before this server watched): the
   * id up to which the gap may reach. Empty when the backlog is complete.
   */
  public OptionalLong gapUpTo() {
    return gapUpTo;
  }

  /** Waits up to {@code wait} for live events; returns them all, or none on timeout, or the end. */
  public synchronized Batch next(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (queue.isEmpty() && end == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new Batch(List.of(), Optional.empty());
      }
      wait(Math.max(1, left / 1_000_000));
    }
    if (!queue.isEmpty() && end != End.SHUTDOWN && end != End.CLOSED) {
      List<Event> events = new ArrayList<>(queue);
      queue.clear();
      return new Batch(events, Optional.empty());
    }
    return new Batch(List.of(), Optional.of(end));
  }

  /** Queues a live event; false once this subscription has ended (the journal then drops it). */
  synchronized boolean offer(Event event) {
    if (end != null) {
      return false;
    }
    if (queue.size() >= capacity) {
      end(End.TOO_SLOW);
      return false;
    }
    queue.add(event);
    notifyAll();
    return true;
  }

  synchronized void end(End why) {
    if (end == null || why == End.SHUTDOWN) {
      end = why;
      notifyAll();
    }
  }

  @Override
  public void close() {
    end(End.CLOSED);
    journal.unsubscribe(this);
  }
}
