package io.shepherd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Event;
import io.shepherd.api.EventGap;
import io.shepherd.api.EventType;
import io.shepherd.fake.FakeShepherdServer;
import io.shepherd.fake.FakeShepherdServer.Recorded;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event subscription: every event once, in order, across cuts, replays, dead servers and silence. */
class EventSubscriptionTest {
  private FakeShepherdServer first;
  private FakeShepherdServer second;
  private final Recorder recorder = new Recorder();

  /** Remembers everything a listener is told. */
  static final class Recorder implements EventListener {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<EventGap> gaps = new CopyOnWriteArrayList<>();
    /** Events and gaps as they were told, in order: "event N" or "gap A..B". */
    final List<String> told = new CopyOnWriteArrayList<>();
    final List<URI> connections = new CopyOnWriteArrayList<>();
    final List<UnavailableException> disconnections = new CopyOnWriteArrayList<>();
    final AtomicReference<Optional<ShepherdException>> closed = new AtomicReference<>();

    @Override
    public void onEvent(Event event) {
      events.add(event);
      told.add("event " + event.id());
    }

    @Override
    public void onGap(EventGap gap) {
      gaps.add(gap);
      told.add("gap " + gap.after() + ".." + gap.upTo());
    }

    @Override
    public void onConnected(URI server) {
      connections.add(server);
    }

    @Override
    public void onDisconnected(UnavailableException cause) {
      disconnections.add(cause);
    }

    @Override
    public void onClosed(Optional<ShepherdException> failure) {
      closed.set(failure);
    }

    List<Long> ids() {
      return events.stream().map(Event::id).toList();
    }
  }

  @BeforeEach
  void start() throws IOException {
    first = FakeShepherdServer.start();
    second = first.peer();
  }

  @AfterEach
  void stop() {
    first.close();
    second.close();
  }

  private List<Long> publish(int n) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(first.store().publish(EventType.INSTANCE_UP, "web", "web-" + i, "up").id());
    }
    return ids;
  }

  private static List<Long> concat(List<Long> a, List<Long> b) {
    List<Long> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void aStreamCutMidwayIsResumedWithLastEventIdAndEveryEventArrivesOnceInOrder() {
    first.cutEventStreamsAfter(3);
    long since = first.store().lastEventId();
    List<Long> before = publish(7);
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).build();
         EventSubscription sub = client.events(OptionalLong.of(since), recorder)) {
      await().until(() -> recorder.events.size() >= 7);
      List<Long> after = publish(4);
      List<Long> expected = concat(before, after);
      await().until(() -> recorder.events.size() >= expected.size());

      assertThat(recorder.ids()).containsExactlyElementsOf(expected);
      assertThat(sub.lastEventId()).hasValue(expected.get(expected.size() - 1));
      List<Recorded> streams = first.requests();
      assertThat(streams.get(0).header("Last-Event-ID")).isEqualTo(Optional.of(Long.toString(since)));
      // Each reconnection resumes after the last event delivered: the 3rd, 6th, 9th.
      assertThat(streams.subList(1, streams.size())).extracting(r -> r.header("Last-Event-ID").orElseThrow())
          .startsWith(Long.toString(expected.get(2)), Long.toString(expected.get(5)), Long.toString(expected.get(8)));
      assertThat(streams).allSatisfy(r -> assertThat(r.line()).isEqualTo("GET /api/v1/events"));
    }
  }

  @Test
  void eventsSentAgainByAServerThatIgnoresLastEventIdAreDropped() {
    first.cutEventStreamsAfter(4);
    first.replayOnResume(3);
    long since = first.store().lastEventId();
    List<Long> expected = publish(10);
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).build();
         EventSubscription sub = client.events(OptionalLong.of(since), recorder)) {
      await().until(() -> recorder.events.size() >= 10);

      assertThat(recorder.ids()).containsExactlyElementsOf(expected);
      // Each resumed stream began with three events already delivered: the client saw them and dropped them.
      assertThat(first.requests()).hasSizeGreaterThan(3);
    }
  }

  @Test
  void aResumePointTheServerNoLongerKeepsIsReportedAsAGapBeforeTheEventsAfterIt() {
    long since = first.store().lastEventId();
    List<Long> ids = publish(6);
    first.forgetEventsUpTo(ids.get(2));
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).build();
         EventSubscription sub = client.events(OptionalLong.of(since), recorder)) {
      await().until(() -> recorder.events.size() >= 3);

      assertThat(recorder.told).containsExactly("gap " + since + ".." + ids.get(2), "event " + ids.get(3),
          "event " + ids.get(4), "event " + ids.get(5));
      assertThat(recorder.gaps).singleElement().extracting(EventGap::message).asString()
          .contains("may be missing");
    }
  }

  @Test
  void withoutSinceOnlyNewEventsArrive() {
    publish(3);
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).build();
         EventSubscription sub = client.events(OptionalLong.empty(), recorder)) {
      await().until(() -> recorder.connections.size() == 1);
      List<Long> fresh = publish(2);

      await().until(() -> recorder.events.size() >= 2);
      assertThat(recorder.ids()).containsExactlyElementsOf(fresh);
      assertThat(first.requests().get(0).query()).isNull();
    }
  }

  @Test
  void aSubscriptionWithoutSinceResumesFromThePositionTheServerAnnounced() {
    first.announcePosition();
    publish(2);
    long position = first.store().lastEventId();
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).server(second.url()).build();
         EventSubscription sub = client.events(OptionalLong.empty(), recorder)) {
      await().until(() -> sub.lastEventId().isPresent());
      assertThat(sub.lastEventId()).hasValue(position);
      first.close();
      List<Long> missedUnlessResumed = publish(2);

      await().until(() -> recorder.events.size() >= 2);
      assertThat(recorder.ids()).containsExactlyElementsOf(missedUnlessResumed);
      assertThat(second.requests().get(0).header("Last-Event-ID")).contains(Long.toString(position));
    }
  }

  @Test
  void whenItsServerGoesAwayTheSubscriptionResumesOnAnotherServer() {
    long since = first.store().lastEventId();
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).server(second.url()).build();
         EventSubscription sub = client.events(OptionalLong.of(since), recorder)) {
      List<Long> before = publish(3);
      await().until(() -> recorder.events.size() >= 3);
      first.close();
      List<Long> after = publish(3);

      await().until(() -> recorder.events.size() >= 6);
      assertThat(recorder.ids()).containsExactlyElementsOf(concat(before, after));
      assertThat(recorder.connections).extracting(URI::toString).first().isEqualTo(first.url() + "/api/v1");
      assertThat(recorder.connections).extracting(URI::toString).last().isEqualTo(second.url() + "/api/v1");
      assertThat(second.requests().get(0).header("Last-Event-ID")).contains(Long.toString(before.get(2)));
      assertThat(recorder.disconnections).isNotEmpty();
    }
  }

  @Test
  void aSilentStreamIsPresumedDeadAndReopenedOnTheNextServer() {
    first.silentEventStreams();
    long since = first.store().lastEventId();
    List<Long> expected = publish(5);
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).server(second.url())
            .eventIdleTimeout(Duration.ofMillis(300)).build();
         EventSubscription sub = client.events(OptionalLong.of(since), recorder)) {
      await().until(() -> recorder.events.size() >= 5);

      assertThat(recorder.ids()).containsExactlyElementsOf(expected);
      assertThat(recorder.disconnections).first()
          .satisfies(e -> assertThat(e.failures().get(0).reason()).isEqualTo("no data for 300 ms"));
    }
  }

  @Test
  void whileNoServerCanServeTheSubscriptionKeepsTryingAndThenCatchesUp() {
    first.answerAll(503);
    long since = first.store().lastEventId();
    List<Long> expected = publish(2);
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).retryBackoff(Duration.ofMillis(20))
            .build();
         EventSubscription sub = client.events(OptionalLong.of(since), recorder)) {
      await().until(() -> recorder.disconnections.size() >= 3);
      assertThat(recorder.disconnections.get(0).getMessage()).contains("503");
      assertThat(sub.isOpen()).isTrue();

      first.answerAll(0);
      await().until(() -> recorder.events.size() >= 2);
      assertThat(recorder.ids()).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aRefusalEndsTheSubscriptionAndSaysWhy() {
    first.answerAll(400);
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).build()) {
      EventSubscription sub = client.events(OptionalLong.of(1), recorder);

      await().until(() -> recorder.closed.get() != null);
      assertThat(recorder.closed.get()).containsInstanceOf(ValidationException.class);
      assertThat(sub.isOpen()).isFalse();
      assertThat(first.requests()).hasSize(1);
    }
  }

  @Test
  void closeStopsTheSubscriptionBeforeItReturns() {
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).build()) {
      EventSubscription sub = client.events(OptionalLong.empty(), recorder);
      await().until(() -> recorder.connections.size() == 1);
      // The control: a subscription left open, on the same server from the same point.
      Recorder control = new Recorder();
      EventSubscription open = client.events(OptionalLong.empty(), control);
      await().until(() -> control.connections.size() == 1);

      sub.close();

      assertThat(recorder.closed.get()).isEmpty();
      assertThat(sub.isOpen()).isFalse();
      List<Long> published = publish(1);
      // Streamed to every open subscription at once: the closed one would have had it by the time the control has.
      await().until(() -> control.ids().equals(published));
      assertThat(recorder.events).isEmpty();
      open.close();
    }
  }

  @Test
  void closingTheClientClosesItsSubscriptionsEvenWhileTheyWaitToReconnect() throws IOException {
    ShepherdClient client = ShepherdClient.builder().server(ShepherdClientFailoverTest.closedPort()).build();
    EventSubscription sub = client.events(OptionalLong.empty(), recorder);
    await().until(() -> recorder.disconnections.size() >= 1);

    client.close();

    assertThat(sub.isOpen()).isFalse();
    assertThat(recorder.closed.get()).isEmpty();
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheStream() {
    long since = first.store().lastEventId();
    List<Long> expected = publish(3);
    List<Long> seen = new CopyOnWriteArrayList<>();
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).build();
         EventSubscription sub = client.events(OptionalLong.of(since), event -> {
           seen.add(event.id());
           throw new IllegalStateException("listener bug");
         })) {
      await().until(() -> seen.size() >= 3);

      assertThat(seen).containsExactlyElementsOf(expected);
      assertThat(sub.isOpen()).isTrue();
    }
  }

  @Test
  void manyEventsArriveInOrder() {
    first.cutEventStreamsAfter(37);
    long since = first.store().lastEventId();
    List<Long> expected = publish(300);
    try (ShepherdClient client = ShepherdClient.builder().server(first.url()).build();
         EventSubscription sub = client.events(OptionalLong.of(since), recorder)) {
      await().until(() -> recorder.events.size() >= 300);

      assertThat(recorder.ids()).containsExactlyElementsOf(expected);
      assertThat(expected).isEqualTo(LongStream.rangeClosed(since + 1, since + 300).boxed().toList());
    }
  }
}
