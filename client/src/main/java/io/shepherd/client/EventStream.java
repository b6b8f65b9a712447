package io.shepherd.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.Event;
import io.shepherd.api.EventGap;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An {@link EventSubscription}: one background thread opens {@code GET /events}, hands each new event to the
 * listener, and reopens the stream after the last delivered id whenever it breaks.
 */
final class EventStream implements EventSubscription {
  private enum State { LATENT, STARTED, CLOSED }

  private static final System.Logger LOG = System.getLogger(EventStream.class.getName());
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final FailoverTransport transport;
  private final ObjectMapper json;
  private final EventListener listener;
  private final Duration idleTimeout;
  private final Duration firstPause;
  private final ScheduledExecutorService watchdog;
  private final Consumer<EventStream> onEnd;
  private final Thread thread;
  private final Object lock = new Object();
  private volatile long lastId;
  private volatile boolean hasLastId;
  private volatile long lastActivityNanos;
  private volatile boolean idledOut;
  /** Guarded by {@link #lock}. */
  private InputStream current;
  /** Guarded by {@link #lock}: the listener runs, so close() must not interrupt the thread. */
  private boolean inCallback;

  EventStream(FailoverTransport transport, ObjectMapper json, OptionalLong since, EventListener listener,
      Duration idleTimeout, Duration firstPause, ScheduledExecutorService watchdog, Consumer<EventStream> onEnd) {
    this.transport = transport;
    this.json = json;
    this.listener = listener;
    this.idleTimeout = idleTimeout;
    this.firstPause = firstPause.isZero() ? Duration.ofMillis(50) : firstPause;
    this.watchdog = watchdog;
    this.onEnd = onEnd;
    since.ifPresent(id -> {
      lastId = id;
      hasLastId = true;
    });
    this.thread = new Thread(this::run, "shepherd-events-" + THREADS.incrementAndGet());
    this.thread.setDaemon(true);
  }

  void start() {
    if (state.compareAndSet(State.LATENT, State.STARTED)) {
      thread.start();
    }
  }

  @Override
  public OptionalLong lastEventId() {
    return hasLastId ? OptionalLong.of(lastId) : OptionalLong.empty();
  }

  @Override
  public boolean isOpen() {
    return state.get() == State.STARTED;
  }

  @Override
  public void close() {
    State previous = state.getAndSet(State.CLOSED);
    if (previous == State.STARTED) {
      synchronized (lock) {
        closeQuietly(current);
        lock.notifyAll();
        if (!inCallback) {
          // Unblocks a connect or a read; a running listener is left alone and sees CLOSED when it returns.
          thread.interrupt();
        }
      }
    }
    if (previous != State.LATENT && Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    Optional<ShepherdException> failure = Optional.empty();
    ScheduledFuture<?> idleCheck = watchdog.scheduleAtFixedRate(this::closeIfIdle,
        checkPeriodMillis(), checkPeriodMillis(), TimeUnit.MILLISECONDS);
    try {
      int failedAttempts = 0;
      while (isOpen()) {
        FailoverTransport.Answer<InputStream> answer;
        try {
          answer = transport.send(request(), "text/event-stream", BodyHandlers.ofInputStream());
        } catch (UnavailableException e) {
          if (!notify(() -> listener.onDisconnected(e))) {
            break;
          }
          pause(++failedAttempts);
          continue;
        } catch (CallInterruptedException e) {
          Thread.interrupted();
          continue;
        } catch (RejectedException | UnexpectedResponseException | OutcomeUnknownException e) {
          failure = Optional.of(e);
          break;
        }
        int delivered = 0;
        String reason = "the server ended the event stream";
        IOException cause = null;
        try {
          InputStream body = attach(answer.body());
          if (body != null && notify(() -> listener.onConnected(answer.server()))) {
            delivered = pump(answer.server(), body);
          }
        } catch (IOException e) {
          cause = e;
          reason = idledOut ? "no data for " + idleTimeout.toMillis() + " ms" : transport.describe(e);
          transport.markFailed(answer.serverIndex());
        } finally {
          detach();
          Thread.interrupted();
        }
        failedAttempts = delivered > 0 ? 0 : failedAttempts + 1;
        UnavailableException lost = new UnavailableException("GET /events",
            List.of(new UnavailableException.Failure(answer.server(), reason)), cause);
        if (!isOpen() || !notify(() -> listener.onDisconnected(lost))) {
          break;
        }
        pause(failedAttempts);
      }
    } finally {
      idleCheck.cancel(false);
      state.set(State.CLOSED);
      Thread.interrupted();
      onEnd.accept(this);
      Optional<ShepherdException> ended = failure;
      runListener(() -> listener.onClosed(ended));
    }
  }

  private ApiRequest request() {
    ApiRequest request = ApiRequest.get("/events");
    if (hasLastId) {
      String id = Long.toString(lastId);
      request = request.withQuery("since", id).withHeader("Last-Event-ID", id);
    }
    return request;
  }

  /** Delivers the stream's events until it ends; returns how many were delivered. */
  private int pump(URI server, InputStream body) throws IOException {
    SseReader reader = new SseReader(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
    int delivered = 0;
    for (Optional<SseReader.Frame> frame = reader.next(); frame.isPresent(); frame = reader.next()) {
      if (frame.get().data().isEmpty()) {
        frame.get().id().ifPresent(this::announced);
        continue;
      }
      if (frame.get().event().equals(EventGap.SSE_TYPE)) {
        Optional<EventGap> gap = read(server, frame.get(), EventGap.class);
        if (gap.isPresent() && !notify(() -> listener.onGap(gap.get()))) {
          break;
        }
        continue;
      }
      Optional<Event> read = read(server, frame.get(), Event.class);
      if (read.isEmpty()) {
        continue;
      }
      Event event = read.get();
      if (hasLastId && event.id() <= lastId) {
        continue; // sent again by a server that did not honour Last-Event-ID
      }
      lastId = event.id();
      hasLastId = true;
      if (!notify(() -> listener.onEvent(event))) {
        break;
      }
      delivered++;
    }
    return delivered;
  }

  /** The frame's data as a {@code type}; empty (and logged) when it cannot be read. */
  private <T> Optional<T> read(URI server, SseReader.Frame frame, Class<T> type) {
    try {
      return Optional.of(json.readValue(frame.data().orElseThrow(), type));
    } catch (JsonProcessingException e) {
      // Not deliverable, and waiting will not change it: skip it rather than loop on it.
      LOG.log(System.Logger.Level.WARNING, "skipping a " + frame.event() + " frame from " + server
          + " that cannot be read: " + frame.id().orElse("(no id)") + ": " + e.getOriginalMessage());
      return Optional.empty();
    }
  }

  /**
   * A frame with an id and no data: the server tells where the stream stands. Without it, a subscription that
   * started with no {@code since} and broke before its first event would have nothing to resume from.
   */
  private void announced(String id) {
    try {
      long position = Long.parseLong(id.strip());
      if (!hasLastId || position > lastId) {
        lastId = position;
        hasLastId = true;
      }
    } catch (NumberFormatException e) {
      LOG.log(System.Logger.Level.WARNING, "ignoring an event stream position that is not a number: " + id);
    }
  }

  /** Runs a listener callback unless closed; false when closed. */
  private boolean notify(Runnable callback) {
    synchronized (lock) {
      if (state.get() != State.STARTED) {
        return false;
      }
      inCallback = true;
    }
    try {
      runListener(callback);
    } finally {
      synchronized (lock) {
        inCallback = false;
        lastActivityNanos = System.nanoTime(); // a slow listener does not make the stream idle
      }
    }
    return true;
  }

  private static void runListener(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "an event listener failed; carrying on", e);
    }
  }

  /** The body, watched for idleness, as the stream to read; null when closed meanwhile. */
  private InputStream attach(InputStream body) {
    synchronized (lock) {
      if (state.get() != State.STARTED) {
        closeQuietly(body);
        return null;
      }
      idledOut = false;
      lastActivityNanos = System.nanoTime();
      current = new FilterInputStream(body) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          lastActivityNanos = System.nanoTime();
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = super.read(buffer, offset, length);
          lastActivityNanos = System.nanoTime();
          return n;
        }
      };
      return current;
    }
  }

  private void detach() {
    synchronized (lock) {
      closeQuietly(current);
      current = null;
    }
  }

  private void closeIfIdle() {
    synchronized (lock) {
      if (current != null && !inCallback && System.nanoTime() - lastActivityNanos > idleTimeout.toNanos()) {
        idledOut = true;
        closeQuietly(current);
        thread.interrupt();
      }
    }
  }

  private long checkPeriodMillis() {
    return Math.max(20, idleTimeout.toMillis() / 4);
  }

  /** Waits before the next attempt: nothing after a stream that delivered, then doubling up to 5 s. */
  private void pause(int failedAttempts) {
    if (failedAttempts <= 0) {
      return;
    }
    long millis = Math.min(MAX_PAUSE.toMillis(), firstPause.toMillis() << Math.min(failedAttempts - 1, 20));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (lock) {
      try {
        for (long left = millis; isOpen() && left > 0;
            left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
          lock.wait(left);
        }
      } catch (InterruptedException e) {
        // Only close() and the idle check interrupt this private thread; the loop re-checks the state.
      }
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // Closing to abandon the stream: nothing left to do with it.
      }
    }
  }
}
