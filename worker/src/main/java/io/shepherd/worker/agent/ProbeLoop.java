package io.shepherd.worker.agent;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread ({@code shepherd-agent-probes}) on which every probe of an agent runs: a {@link Selector} for the
 * sockets of http and tcp probes and a timer queue for the ticks and the deadlines, in one loop. A probe started by
 * a tick on this thread registers its socket without waking anything, and its outcome is handled where it is read:
 * no hand-off between threads, no future, per probe. Other threads reach it through {@link #execute} (one wake-up).
 *
 * <p>Timers, registrations and the shared read buffer belong to the loop thread; only {@link #execute},
 * {@link #schedule} and {@link #close} may be called from elsewhere. Started on first use.
 */
final class ProbeLoop implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeLoop.class);
  private static final int READ_BUFFER_BYTES = 8 * 1024;

  /** What a registered channel's attachment does when its channel is ready. */
  interface Handler {
    /** On the loop thread. */
    void ready(SelectionKey key);
  }

  /** A timer; cancelled on the loop thread only. */
  static final class Timer implements Comparable<Timer> {
    private final long atNanos;
    private final Runnable task;
    private long sequence;
    private boolean cancelled;

    private Timer(long atNanos, Runnable task) {
      this.atNanos = atNanos;
      this.task = task;
    }

    /** Loop thread only. */
    void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(atNanos - o.atNanos, 0);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }

  private final String threadName;
  private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
  private long sequence;
  private volatile Selector selector;
  private volatile Thread thread;
  private volatile boolean closed;

  ProbeLoop(String threadName) {
    this.threadName = threadName;
  }

  /** Runs {@code task} on the loop thread: at once if called there, else after a wake-up. Any thread. */
  void execute(Runnable task) {
    if (inLoop()) {
      task.run();
      return;
    }
    if (closed) {
      return;
    }
    Selector s = start();
    inbox.add(task);
    s.wakeup();
  }

  /**
   * Runs {@code task} on the loop thread after {@code delayMs}. Any thread; the timer returned may be cancelled on
   * the loop thread only (from elsewhere it is already queued by the time it could be).
   */
  Timer schedule(long delayMs, Runnable task) {
    Timer t = new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMs)), task);
    if (inLoop()) {
      add(t);
    } else {
      execute(() -> add(t));
    }
    return t;
  }

  /** Registers {@code channel} (non-blocking) for {@code ops} with {@code handler}. Loop thread only. */
  SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws ClosedChannelException {
    return channel.register(selector, ops, handler);
  }

  /** The loop's read buffer, cleared; valid until the handler returns. Loop thread only. */
  ByteBuffer readBuffer() {
    return readBuffer.clear();
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  private void add(Timer t) {
    // The sequence keeps timers due at the same instant in the order they were set.
    t.sequence = sequence++;
    timers.add(t);
  }

  private synchronized Selector start() {
    if (selector == null) {
      try {
        selector = Selector.open();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the probes' selector", e);
      }
      Thread t = new Thread(this::loop, threadName);
      t.setDaemon(true);
      thread = t;
      t.start();
    }
    return selector;
  }

  private void loop() {
    Selector s = selector;
    try {
      while (!closed) {
        runInbox();
        long waitMs = runDueTimers();
        if (closed) {
          break;
        }
        if (!inbox.isEmpty()) {
          s.selectNow(this::dispatch);
        } else {
          s.select(this::dispatch, waitMs);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("the probe loop stopped", e);
    } finally {
      for (SelectionKey key : s.keys()) {
        closeQuietly(key.channel());
      }
      closeQuietly(s);
    }
  }

  private void runInbox() {
    Runnable task;
    while ((task = inbox.poll()) != null) {
      run(task);
    }
  }

  /** Runs what is due; returns how long select may wait for the next timer (0: no timer, wait for I/O). */
  private long runDueTimers() {
    while (!timers.isEmpty()) {
      long left = timers.peek().atNanos - System.nanoTime();
      if (left > 0) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
      }
      Timer t = timers.poll();
      if (!t.cancelled) {
        run(t.task);
      }
    }
    return 0;
  }

  private void dispatch(SelectionKey key) {
    if (key.isValid() && key.attachment() instanceof Handler h) {
      try {
        h.ready(key);
      } catch (RuntimeException e) {
        LOG.warn("a probe failed unexpectedly", e);
        closeQuietly(key.channel());
      }
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("a probe task failed unexpectedly", e);
    }
  }

  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }

  /** Stops the loop and closes its sockets; probes in flight report nothing. Any thread. */
  @Override
  public void close() {
    closed = true;
    Selector s = selector;
    if (s != null) {
      s.wakeup();
    }
  }
}
