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
   * What {@link #next} found: events to send (possibly none: time for a keep-alive), preceded by a hole in the
   * stream when there is one, or the end once every deliverable event was taken.
   */
  public record Batch(List<Event> events, Optional<Gap> gap, Optional<End> end) {
    public Batch(List<Event> events, Optional<End> end) {
      this(events, Optional.empty(), end);
    }
  }

  /**
   * Events after {@code after} up to {@code upTo} may be missing from this stream: this server did not see the
   * changes made while it was disconnected from ZooKeeper. Comes before the events that follow the hole.
   */
  public record Gap(long after, long upTo) {}

  private final EventJournal journal;
  private final List<Event> backlog;
  private final OptionalLong gapUpTo;
  private final long startsAfter;
  private final int capacity;
  /** Events and {@link Gap}s, in the order the journal handed them. */
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
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
      Optional<Gap> gap = queue.peek() instanceof Gap g ? Optional.of(g) : Optional.empty();
      if (gap.isPresent()) {
        queue.poll();
      }
      List<Event> events = new ArrayList<>();
      while (queue.peek() instanceof Event e) { // up to the next gap, which the next batch starts with
        events.add(e);
        queue.poll();
      }
      return new Batch(events, gap, Optional.empty());
    }
    return new Batch(List.of(), Optional.of(end));
  }

  /** Queues a live event; false once this subscription has ended (the journal then drops it). */
  synchronized boolean offer(Event event) {
    return enqueue(event);
  }

  /** Queues a hole in the stream, before the events that follow it; false once this subscription has ended. */
  synchronized boolean offer(Gap gap) {
    return enqueue(gap);
  }

  private boolean enqueue(Object item) {
    if (end != null) {
      return false;
    }
    if (queue.size() >= capacity) {
      end(End.TOO_SLOW);
      return false;
    }
    queue.add(item);
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
