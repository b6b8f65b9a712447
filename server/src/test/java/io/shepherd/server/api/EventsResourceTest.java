package io.shepherd.server.api;

import static io.shepherd.server.api.ResourceTesting.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.server.events.EventJournal;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /events} on a real journal that keeps the last three of four events and is already closed, as when the
 * server stops: every stream is then finite (its head, the kept events after the resume point, and the closing
 * comment), so its whole text can be checked. Live delivery, keep-alives and the disconnection of slow readers are
 * left to EventsIT and EventsReconnectIT, which run a server, and to EventJournalTest.
 */
@ExtendWith({DropwizardExtensionsSupport.class, EndpointRecorder.class})
class EventsResourceTest {
  private static final EventJournal JOURNAL = closedJournalKeeping20To40();
  static final ResourceExtension API = ResourceTesting.resources(
      new EventsResource(JOURNAL, ResourceTesting.JSON, Duration.ofSeconds(30), 100));

  private static EventJournal closedJournalKeeping20To40() {
    EventJournal journal = new EventJournal(3, 100);
    for (long id = 10; id <= 40; id += 10) {
      journal.publish(new Event(id, EventType.INSTANCE_UP, Instant.parse("2026-01-01T00:00:00Z"),
          Optional.of("web"), Optional.of("web-" + id), Optional.of("n1"), "copy web-" + id + " is up"));
    }
    journal.close();
    return journal;
  }

  private static WebTarget events() {
    return API.target("/api/v1/events");
  }

  private static String stream(Response r) {
    String text = r.readEntity(String.class);
    assertThat(r.getStatus()).as(text).isEqualTo(200);
    return text;
  }

  @Test
  @Endpoint("GET /api/v1/events")
  void aStreamIsUnbufferedUtf8ServerSentEvents() {
    Response r = events().request(EventsResource.EVENT_STREAM).get();
    assertThat(stream(r)).isNotEmpty();
    assertThat(r.getHeaderString("Content-Type")).isEqualTo("text/event-stream;charset=utf-8");
    assertThat(r.getHeaderString("Cache-Control")).isEqualTo("no-cache, no-store");
    assertThat(r.getHeaderString("X-Accel-Buffering")).isEqualTo("no");
  }

  @Test
  @Endpoint("GET /api/v1/events")
  void aStreamFromNowOnStartsWithTheLastIdSoThatItCanResumeAndEndsSayingTheServerStops() {
    String text = stream(events().request().get());
    assertThat(text).isEqualTo(": shepherd events, from now on\n\n"
        + "id: 40\n\n"
        + ": disconnected: the server is stopping; reconnect with Last-Event-ID, here or elsewhere\n\n");
  }

  @Test
  @Endpoint("GET /api/v1/events")
  void sinceGivesTheKeptEventsAfterIt() {
    String text = stream(events().queryParam("since", "20").request().get());
    assertThat(text).startsWith(": shepherd events after 20\n\n").doesNotContain("event: gap");
    assertThat(text).contains("id: 30\nevent: INSTANCE_UP\ndata: {\"id\":30,\"type\":\"INSTANCE_UP\","
        + "\"time\":\"2026-01-01T00:00:00Z\",\"replicaSet\":\"web\",\"instance\":\"web-30\",\"node\":\"n1\","
        + "\"message\":\"copy web-30 is up\"}\n\n");
    assertThat(text.indexOf("id: 30\n")).isLessThan(text.indexOf("id: 40\n"));
    assertThat(text).doesNotContain("id: 20\n").doesNotContain("id: 10\n");
  }

  @Test
  @Endpoint("GET /api/v1/events")
  void resumingFromBeforeWhatIsKeptSaysWhichEventsMayBeMissing() {
    String text = stream(events().queryParam("since", "5").request().get());
    assertThat(text).startsWith(": shepherd events after 5\n\nevent: gap\ndata: {\"after\":5,\"upTo\":10,"
        + "\"message\":\"events after 5 up to 10 may be missing (no longer kept here, older than this server's"
        + " watch, or missed while it was disconnected); this stream goes on with the oldest event kept\"}\n\n");
    assertThat(text).contains("id: 20\n", "id: 30\n", "id: 40\n").doesNotContain("id: 10\n");
  }

  @Test
  @Endpoint("GET /api/v1/events")
  void lastEventIdWinsOverSinceAsABrowserReconnectionSendsIt() {
    String text = stream(events().queryParam("since", "not-a-number").request().header("Last-Event-ID", "30").get());
    assertThat(text).startsWith(": shepherd events after 30\n\n").contains("id: 40\n").doesNotContain("id: 30\n");
  }

  @Test
  @Endpoint("GET /api/v1/events")
  void aBlankLastEventIdFallsBackToSince() {
    String text = stream(events().queryParam("since", "30").request().header("Last-Event-ID", " ").get());
    assertThat(text).startsWith(": shepherd events after 30\n\n");
  }

  @ParameterizedTest(name = "{0}={1} is refused with 400 naming it")
  @CsvSource({"since, abc", "since, -1", "since, 1.5", "since, 99999999999999999999",
      "Last-Event-ID, abc", "Last-Event-ID, -7"})
  @Endpoint("GET /api/v1/events")
  void aResumePointThatIsNoEventIdIsRefusedNamingWhereItCameFrom(String field, String value) {
    WebTarget target = field.equals("since") ? events().queryParam("since", value) : events();
    Response r = field.equals("since") ? target.request().get()
        : target.request().header("Last-Event-ID", value).get();
    assertThat(assertError(r, 400, field)).contains("non-negative whole number");
  }

  @Test
  @Endpoint("GET /api/v1/events")
  void askingForJsonIs406AndPostingIs405() {
    assertError(events().request("application/json").get(), 406);
    assertError(events().request().post(Entity.json("{}")), 405);
  }
}
