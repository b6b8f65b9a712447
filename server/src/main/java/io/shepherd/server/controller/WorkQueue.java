package io.shepherd.server.controller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A de-duplicating queue of replica-set names, drained by one reconcile thread, one name or a batch of the names
 * waiting at a time. A name waiting once is reconciled once however many events named it. Delayed adds serve
 * backoffs and timeouts; failed reconciles come back with a per-name exponential delay, reset by {@link #forget}.
 */
final class WorkQueue implements AutoCloseable {
  private static final long FIRST_RETRY_MS = 5;
  private static final long MAX_RETRY_MS = 5_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition idle = lock.newCondition();
  private final LinkedHashSet<String> waiting = new LinkedHashSet<>();
  private int inProgress;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Delays delays;
  private volatile boolean paused;

  /** Runs the delayed adds: a timer thread in a server, a hand-driven list in tests. */
  interface Delays extends AutoCloseable {
    void schedule(Runnable add, Duration delay);

    @Override
    void close();
  }

  WorkQueue() {
    this(new TimerDelays());
  }

  WorkQueue(Delays delays) {
    this.delays = delays;
  }

  private static final class TimerDelays implements Delays {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shepherd-queue-timer");
      t.setDaemon(true);
      return t;
    });

    @Override
    public void schedule(Runnable add, Duration delay) {
      timer.schedule(add, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  void add(String name) {
    lock.lock();
    try {
      if (waiting.add(name)) {
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  void addAfter(String name, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(name);
    } else {
      delays.schedule(() -> add(name), delay);
    }
  }

  /** Puts a name back after a failure, later each time it fails again. */
  void retry(String name) {
    int n = failures.merge(name, 1, Integer::sum);
    addAfter(name, Duration.ofMillis(Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(n - 1, 20))));
  }

  /** The name succeeded: its next failure starts the backoff afresh. */
  void forget(String name) {
    failures.remove(name);
  }

  /**
   * The names waiting, up to {@code max} of them, taken at once: each name at most once, since a batch decides
   * every name from the same view (a name twice would be decided twice, its plans committed twice). Waits at most
   * {@code timeout} for the first; empty on timeout or while paused. A name added while its batch is being
   * reconciled waits for the next batch.
   */
  List<String> pollBatch(Duration timeout, int max) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (waiting.isEmpty() || paused) {
        if (nanos <= 0) {
          return List.of();
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      List<String> names = new ArrayList<>(Math.min(max, waiting.size()));
      var it = waiting.iterator();
      while (names.size() < max && it.hasNext()) {
        names.add(it.next());
        it.remove();
      }
      inProgress += names.size();
      return names;
    } finally {
      lock.unlock();
    }
  }

  /** {@code n} names that {@link #pollBatch} handed out have been dealt with. */
  void done(int n) {
    lock.lock();
    try {
      inProgress -= n;
      if (inProgress == 0 && waiting.isEmpty()) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until no name is waiting and none is being dealt with; names scheduled for later (backoffs, launch
   * timeouts) do not count. False if that did not happen within {@code timeout}.
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (!waiting.isEmpty() || inProgress > 0) {
        if (nanos <= 0) {
          return false;
        }
        nanos = idle.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Holds every name back (names still accumulate) until {@link #resume}: a test hook for missed events. */
  void pause() {
    paused = true;
  }

  void resume() {
    lock.lock();
    try {
      paused = false;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets every name waiting (delayed adds not yet due are kept): a test hook for events the controller missed. */
  void clear() {
    lock.lock();
    try {
      waiting.clear();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    delays.close();
  }
}
