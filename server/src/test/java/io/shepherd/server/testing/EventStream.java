package io.shepherd.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.Event;
import io.shepherd.api.EventGap;
import io.shepherd.api.ShepherdJson;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A subscriber of {@code GET /api/v1/events}: parses the server-sent events as they arrive. Opening returns once the
 * server has subscribed it (the server flushes a first comment at once), so every later change is in it.
 */
public final class EventStream implements AutoCloseable {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();

  /** One SSE message: its id and event fields, and its data decoded. */
  public record Message(long id, String type, Event event) {}

  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final List<EventGap> gaps = new CopyOnWriteArrayList<>();
  private final Map<String, String> fields = new HashMap<>();
  private final StreamedGet get;

  private EventStream(String url, Map<String, String> headers) throws Exception {
    this.get = StreamedGet.open(url, headers, this::onLine);
    if (get.status() != 200) {
      throw new AssertionError("GET " + url + ": " + get.status());
    }
  }

  /** Live events from now on. */
  public static EventStream open(String baseUrl) throws Exception {
    return new EventStream(baseUrl + "/api/v1/events", Map.of());
  }

  /** Events strictly after {@code lastEventId}, sent as a reconnecting browser would. */
  public static EventStream resume(String baseUrl, long lastEventId) throws Exception {
    return new EventStream(baseUrl + "/api/v1/events", Map.of("Last-Event-ID", Long.toString(lastEventId)));
  }

  /** Events strictly after {@code since}, asked with the query parameter. */
  public static EventStream since(String baseUrl, long since) throws Exception {
    return new EventStream(baseUrl + "/api/v1/events?since=" + since, Map.of());
  }

  private void onLine(String line) {
    if (line.isEmpty()) {
      if (EventGap.SSE_TYPE.equals(fields.get("event"))) {
        try {
          gaps.add(JSON.readValue(fields.get("data"), EventGap.class));
        } catch (java.io.IOException e) {
          throw new UncheckedIOException(e);
        }
      } else if (fields.containsKey("data")) {
        try {
          Event event = JSON.readValue(fields.get("data"), Event.class);
          messages.add(new Message(Long.parseLong(fields.get("id")), fields.get("event"), event));
        } catch (java.io.IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      fields.clear();
    } else if (line.startsWith(":")) {
      comments.add(line.substring(1).trim());
    } else {
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
      fields.merge(name, value, (a, b) -> a + "\n" + b);
    }
  }

  public List<Message> messages() {
    return List.copyOf(messages);
  }

  public List<Event> events() {
    return messages.stream().map(Message::event).toList();
  }

  /** The events of one replica set, in order. */
  public List<Event> eventsOf(String replicaSet) {
    return events().stream().filter(e -> e.replicaSet().equals(Optional.of(replicaSet))).toList();
  }

  /** The gaps the stream reported ({@code event: gap} frames), in order. */
  public List<EventGap> gaps() {
    return List.copyOf(gaps);
  }

  public List<String> comments() {
    return List.copyOf(comments);
  }

  public List<Long> ids() {
    return new ArrayList<>(messages.stream().map(Message::id).toList());
  }

  public long lastId() {
    return messages.get(messages.size() - 1).id();
  }

  public boolean ended() {
    return get.ended();
  }

  @Override
  public void close() throws Exception {
    get.close();
  }
}
