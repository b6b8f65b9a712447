package io.shepherd.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.Event;
import io.shepherd.api.EventGap;
import io.shepherd.server.events.EventIds;
import io.shepherd.server.events.EventJournal;
import io.shepherd.server.events.Subscription;
import io.shepherd.server.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: server-sent events, from this server's own observation of ZooKeeper (any server,
 * leader or standby, serves it, and with ZooKeeper 3.9 and later every server gives a change the same id).
 *
 * <p>Each event is {@code id: <id>}, {@code event: <type>}, {@code data: <Event JSON on one line>}. Without a
 * resume point the stream starts with the next change; with {@code Last-Event-ID} (which wins, as a browser's
 * reconnection sends it) or {@code ?since=ID}, it starts strictly after that id with the events this server still
 * keeps. When some may be missing (the history is bounded), the stream first says so in a frame of its own,
 * {@code event: gap} with an {@link EventGap} as its data and no id; the same frame comes mid-stream, before the
 * next event, when the server was disconnected from ZooKeeper and may have missed changes. On ZooKeeper 3.8 and
 * older, ids are this server's own ({@link io.shepherd.server.events.EventFeed}). Comment lines are sent when idle
 * (keep-alive) and before the server ends the stream (too slow a reader, or shutdown).
 *
 * <p>The body is written by the request's own thread, each part flushed as it is written (the application turns
 * off Jersey's buffering of entities), so a slow reader blocks only its own stream. It ends when the journal ends
 * the subscription (too slow a reader, or shutdown), or when a write fails because the reader went away.
 */
@Path("/api/v1/events")
@RolesAllowed(Roles.VIEWER)
public final class EventsResource {
  public static final String EVENT_STREAM = "text/event-stream";
  private static final Logger LOG = LoggerFactory.getLogger(EventsResource.class);

  private final EventJournal journal;
  private final ObjectMapper json;
  private final Duration keepAlive;
  private final int subscriberQueue;

  public EventsResource(EventJournal journal, ObjectMapper json, Duration keepAlive, int subscriberQueue) {
    this.journal = journal;
    this.json = json;
    this.keepAlive = keepAlive;
    this.subscriberQueue = subscriberQueue;
  }

  @GET
  @Produces(EVENT_STREAM)
  public Response stream(@QueryParam("since") String since, @HeaderParam("Last-Event-ID") String lastEventId) {
    OptionalLong from = lastEventId != null && !lastEventId.isBlank()
        ? resumePoint("Last-Event-ID", lastEventId) : resumePoint("since", since);
    // Subscribe now rather than in the writer: whatever happens after this request is in its stream.
    Subscription subscription = journal.subscribe(from);
    StreamingOutput output = out -> write(subscription, from, out);
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

  private void write(Subscription subscription, OptionalLong from, OutputStream output) {
    try (subscription) {
      StringBuilder head = new StringBuilder();
      comment(head, "shepherd events" + (from.isPresent() ? " after " + from.getAsLong() : ", from now on"));
      if (from.isEmpty()) {
        head.append("id: ").append(subscription.startsAfter()).append("\n\n");
      }
      if (subscription.gapUpTo().isPresent()) {
        EventGap gap = new EventGap(from.getAsLong(), subscription.gapUpTo().getAsLong(), "events after "
            + from.getAsLong() + " up to " + subscription.gapUpTo().getAsLong() + " may be missing (no longer kept"
            + " here, older than this server's watch, or missed while it was disconnected); this stream goes on"
            + " with the oldest event kept");
        head.append("event: ").append(EventGap.SSE_TYPE).append("\ndata: ").append(json.writeValueAsString(gap))
            .append("\n\n");
      }
      send(output, head);
      writeAll(output, subscription.backlog());
      while (true) {
        Subscription.Batch batch = subscription.next(keepAlive);
        if (batch.gap().isPresent()) {
          Subscription.Gap hole = batch.gap().get();
          EventGap gap = new EventGap(hole.after(), hole.upTo(), "events after " + hole.after() + " up to "
              + hole.upTo() + " may be missing: this server was disconnected from ZooKeeper and did not see the"
              + " changes made meanwhile; another server's stream has them");
          send(output, new StringBuilder().append("event: ").append(EventGap.SSE_TYPE).append("\ndata: ")
              .append(json.writeValueAsString(gap)).append("\n\n"));
        }
        writeAll(output, batch.events());
        if (batch.end().isPresent()) {
          send(output, comment(new StringBuilder(), ending(batch.end().get())));
          return;
        }
        if (batch.events().isEmpty()) {
          send(output, comment(new StringBuilder(), "keep-alive"));
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
  private void writeAll(OutputStream output, List<Event> events) throws IOException {
    StringBuilder chunk = new StringBuilder();
    for (Event e : events) {
      message(chunk, e);
      if (chunk.length() >= 64 * 1024) {
        send(output, chunk);
        chunk.setLength(0);
      }
    }
    if (chunk.length() > 0) {
      send(output, chunk);
    }
  }

  private static void send(OutputStream output, CharSequence chunk) throws IOException {
    output.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
    output.flush();
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
