package io.shepherd.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.Event;
import io.shepherd.server.events.EventIds;
import io.shepherd.server.events.EventJournal;
import io.shepherd.server.events.Subscription;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.glassfish.jersey.server.ChunkedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: server-sent events, from this server's own observation of ZooKeeper (any server,
 * leader or standby, serves it, and every server gives a change the same id).
 *
 * <p>Each event is {@code id: <id>}, {@code event: <type>}, {@code data: <Event JSON on one line>}. Without a
 * resume point the stream starts with the next change; with {@code Last-Event-ID} (which wins, as a browser's
 * reconnection sends it) or {@code ?since=ID}, it starts strictly after that id with the events this server still
 * keeps, and says in a comment line when some may be missing. Comment lines are also sent when idle (keep-alive)
 * and before the server ends the stream (too slow a reader, or shutdown).
 *
 * <p>The body is a Jersey {@link ChunkedOutput}: with any other entity Jersey buffers the first 8 KiB whatever the
 * writer flushes. Each stream has a thread of its own that writes it (a slow reader blocks only that thread).
 */
@Path("/api/v1/events")
public final class EventsResource {
  public static final String EVENT_STREAM = "text/event-stream";
  private static final Logger LOG = LoggerFactory.getLogger(EventsResource.class);

  private final EventJournal journal;
  private final ObjectMapper json;
  private final Duration keepAlive;
  private final int subscriberQueue;
  private final Executor writers;

  public EventsResource(EventJournal journal, ObjectMapper json, Duration keepAlive, int subscriberQueue) {
    this(journal, json, keepAlive, subscriberQueue, Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "shepherd-event-stream");
      t.setDaemon(true);
      return t;
    }));
  }

  /** With the executor that writes each stream: tests write finite streams on the request's own thread. */
  EventsResource(EventJournal journal, ObjectMapper json, Duration keepAlive, int subscriberQueue, Executor writers) {
    this.journal = journal;
    this.json = json;
    this.keepAlive = keepAlive;
    this.subscriberQueue = subscriberQueue;
    this.writers = writers;
  }

  @GET
  @Produces(EVENT_STREAM)
  public Response stream(@QueryParam("since") String since, @HeaderParam("Last-Event-ID") String lastEventId) {
    OptionalLong from = lastEventId != null && !lastEventId.isBlank()
        ? resumePoint("Last-Event-ID", lastEventId) : resumePoint("since", since);
    // Subscribe now rather than in the writer: whatever happens after this request is in its stream.
    Subscription subscription = journal.subscribe(from);
    ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
    writers.execute(() -> write(subscription, from, output));
    return Response.ok(output, EVENT_STREAM + ";charset=utf-8")
        .header("Cache-Control", "no-cache, no-store")
        .header("X-Accel-Buffering", "no") // tells nginx-like proxies not to buffer the stream
        .build();
  }

  private static OptionalLong resumePoint(String field, String value) {
    try {
      return EventIds.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, field + ": " + e.getMessage(), Optional.of(field));
    }
  }

  private void write(Subscription subscription, OptionalLong from, ChunkedOutput<String> output) {
    try (subscription; output) {
      StringBuilder head = new StringBuilder();
      comment(head, "shepherd events" + (from.isPresent() ? " after " + from.getAsLong() : ", from now on"));
      if (from.isEmpty()) {
        head.append("id: ").append(subscription.startsAfter()).append("\n\n");
      }
      if (subscription.gapUpTo().isPresent()) {
        comment(head, "events dropped: those after " + from.getAsLong() + " up to "
            + subscription.gapUpTo().getAsLong() + " may be missing (no longer kept here, or older than this"
            + " server's watch); this stream starts at the oldest event kept");
      }
      output.write(head.toString());
      writeAll(output, subscription.backlog());
      while (!output.isClosed()) {
        Subscription.Batch batch = subscription.next(keepAlive);
        writeAll(output, batch.events());
        if (batch.end().isPresent()) {
          output.write(comment(new StringBuilder(), ending(batch.end().get())).toString());
          return;
        }
        if (batch.events().isEmpty()) {
          output.write(comment(new StringBuilder(), "keep-alive").toString());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.debug("event subscriber went away: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.error("event stream failed", e);
    }
  }

  /** Writes events in chunks of a bounded size: each chunk is one write and one flush. */
  private void writeAll(ChunkedOutput<String> output, List<Event> events) throws IOException {
    StringBuilder chunk = new StringBuilder();
    for (Event e : events) {
      message(chunk, e);
      if (chunk.length() >= 64 * 1024) {
        output.write(chunk.toString());
        chunk.setLength(0);
      }
    }
    if (chunk.length() > 0) {
      output.write(chunk.toString());
    }
  }

  private void message(StringBuilder out, Event e) throws JsonProcessingException {
    out.append("id: ").append(e.id()).append("\nevent: ").append(e.type().name())
        .append("\ndata: ").append(json.writeValueAsString(e)).append("\n\n");
  }

  private static StringBuilder comment(StringBuilder out, String text) {
    return out.append(": ").append(text).append("\n\n");
  }

  private String ending(Subscription.End end) {
    return switch (end) {
      case TOO_SLOW -> "disconnected: this reader fell more than " + subscriberQueue
          + " events behind; reconnect with Last-Event-ID to resume";
      case SHUTDOWN -> "disconnected: the server is stopping; reconnect with Last-Event-ID, here or elsewhere";
      case CLOSED -> "closed";
    };
  }
}
