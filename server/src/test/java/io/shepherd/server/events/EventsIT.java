package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.Instance;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.EventStream;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The event stream of two servers on one ZooKeeper, the first with an embedded agent running real processes. */
class EventsIT {
  private static final Path AGENT_DIR = tempDir();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension FIRST = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR,
      ConfigOverride.config("events.keepAlive", "500ms"));

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString,
      ConfigOverride.config("events.keepAlive", "500ms"));

  private Api api;

  @BeforeEach
  void api() {
    api = new Api(FIRST.baseUrl());
    await().atMost(Duration.ofSeconds(20)).until(() -> api.leader().leader().isPresent() && api.nodes().size() == 1);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("shepherd-events");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void deleteAndAwaitGone(String name, String marker) throws Exception {
    api.delete(name);
    await().atMost(Duration.ofSeconds(20)).until(() -> api.get(name).isEmpty()
        && Processes.countDescendantsWith(marker) == 0);
  }

  private static boolean removed(EventStream stream, String name) {
    return stream.eventsOf(name).stream()
        .anyMatch(e -> e.type() == EventType.REPLICA_SET_DELETED && e.message().contains("removed"));
  }

  private static List<EventType> types(List<Event> events) {
    return events.stream().map(Event::type).toList();
  }

  private static List<Event> ofInstance(List<Event> events, String id) {
    return events.stream().filter(e -> e.instance().equals(Optional.of(id))).toList();
  }

  @Test
  void aCreateScaleKillDeleteSequenceArrivesInOrderWithIncreasingIdsAndTheRightTypes() throws Exception {
    try (EventStream stream = EventStream.open(FIRST.baseUrl())) {
      api.apply("seq", EventCopies.sleeping(2, "3401"));
      EventCopies.awaitLive(api, "seq", 2);
      api.scale("seq", 3);
      List<Instance> three = EventCopies.awaitLive(api, "seq", 3);
      Instance victim = three.get(0);
      Processes.sigkill(victim.pid());
      // Restarted in place by its agent: the same copy, a new process.
      await().atMost(Duration.ofSeconds(20)).until(() -> EventCopies.awaitLive(api, "seq", 3).stream()
          .anyMatch(i -> i.id().equals(victim.id()) && i.pid() != victim.pid()));
      deleteAndAwaitGone("seq", "3401");
      await().atMost(Duration.ofSeconds(10)).until(() -> removed(stream, "seq"));

      assertThat(stream.ids()).as("ids of the whole stream").isSorted().doesNotHaveDuplicates();
      List<Event> seq = stream.eventsOf("seq");
      assertThat(seq.get(0).type()).isEqualTo(EventType.SPEC_CHANGED);
      assertThat(seq.get(0).message()).isEqualTo("seq created: 2 replicas of [sleep, 3401]");
      assertThat(seq.get(seq.size() - 1).type()).isEqualTo(EventType.REPLICA_SET_DELETED);
      assertThat(types(seq)).containsSubsequence(EventType.SPEC_CHANGED, EventType.SCALED, EventType.INSTANCE_DOWN,
          EventType.INSTANCE_RESTARTED, EventType.REPLICA_SET_DELETED, EventType.REPLICA_SET_DELETED);
      assertThat(seq).filteredOn(e -> e.type() == EventType.SCALED).extracting(Event::message)
          .containsExactly("seq scaled from 2 to 3");
      // 2 copies, 1 more by scaling, all 3 stopped in the end; the killed one went down and up once more in place.
      for (EventType type : List.of(EventType.ASSIGNED, EventType.STOPPED)) {
        assertThat(seq).as(type.name()).filteredOn(e -> e.type() == type).hasSize(3);
      }
      for (EventType type : List.of(EventType.INSTANCE_UP, EventType.INSTANCE_DOWN)) {
        assertThat(seq).as(type.name()).filteredOn(e -> e.type() == type).hasSize(4);
      }
      // Each of the 3 copies its agent stopped in the end (the killed one after its restart) was marked unready first.
      assertThat(seq).filteredOn(e -> e.type() == EventType.INSTANCE_UNREADY).hasSize(3);
      assertThat(seq).filteredOn(e -> e.type() == EventType.INSTANCE_RESTARTED).extracting(Event::message)
          .containsExactly("copy " + victim.id() + " of seq restarted in place on node-a after signal 9 (restart 1)");
      assertThat(seq).filteredOn(e -> e.type() == EventType.REPLICA_SET_DELETED).hasSize(2);
      assertThat(seq).extracting(Event::type).doesNotContain(EventType.CRASH_LOOP);
      assertThat(seq).filteredOn(e -> e.type() == EventType.INSTANCE_UP)
          .allSatisfy(e -> assertThat(e.node()).hasValue("node-a"))
          .extracting(e -> e.instance().orElseThrow())
          .containsAll(three.stream().map(Instance::id).toList());

      // Each copy's life in order; the killed one went down and up again in one transaction (the restart in place),
      // the others were stopped (assignment deleted) and marked unready by their agent before they went down.
      assertThat(types(ofInstance(seq, victim.id()))).containsExactly(EventType.ASSIGNED, EventType.INSTANCE_UP,
          EventType.INSTANCE_DOWN, EventType.INSTANCE_UP, EventType.INSTANCE_RESTARTED, EventType.STOPPED,
          EventType.INSTANCE_UNREADY, EventType.INSTANCE_DOWN);
      assertThat(ofInstance(seq, victim.id())).filteredOn(e -> e.type() == EventType.INSTANCE_UP)
          .extracting(Event::message).first().isEqualTo("copy " + victim.id() + " of seq is up on node-a (pid "
              + victim.pid() + ")");
      seq.stream().filter(e -> e.type() == EventType.ASSIGNED).map(e -> e.instance().orElseThrow())
          .filter(id -> !id.equals(victim.id()))
          .forEach(id -> assertThat(types(ofInstance(seq, id))).as(id).containsExactly(EventType.ASSIGNED,
              EventType.INSTANCE_UP, EventType.STOPPED, EventType.INSTANCE_UNREADY, EventType.INSTANCE_DOWN));
    }
  }

  @Test
  void twoServersGiveTheSameIdsToTheSameChanges() throws Exception {
    try (EventStream first = EventStream.open(FIRST.baseUrl());
         EventStream second = EventStream.open(SECOND.baseUrl())) {
      api.apply("twin", EventCopies.sleeping(1, "3402"));
      EventCopies.awaitLive(api, "twin", 1);
      api.scale("twin", 2);
      EventCopies.awaitLive(api, "twin", 2);
      deleteAndAwaitGone("twin", "3402");
      await().atMost(Duration.ofSeconds(10)).until(() -> removed(first, "twin") && removed(second, "twin"));

      long from = first.eventsOf("twin").get(0).id();
      long to = first.eventsOf("twin").get(first.eventsOf("twin").size() - 1).id();
      assertThat(withoutTime(second.events(), from, to)).isEqualTo(withoutTime(first.events(), from, to))
          .hasSize(14); // created, 2 assigned and up, scaled, deleting, 2 stopped, unready and down, removed
    }
  }

  /** Everything of an event but the time, which is each server's own clock. */
  private static List<List<Object>> withoutTime(List<Event> events, long from, long to) {
    return events.stream().filter(e -> e.id() >= from && e.id() <= to)
        .map(e -> List.<Object>of(e.id(), e.type(), e.replicaSet(), e.instance(), e.node(), e.message()))
        .toList();
  }

  @Test
  void aSubscriberThatReconnectsToTheOtherServerWithLastEventIdSeesEveryEventExactlyOnceInOrder() throws Exception {
    try (EventStream reference = EventStream.open(SECOND.baseUrl())) {
      EventStream before = EventStream.open(FIRST.baseUrl());
      api.apply("resume", EventCopies.sleeping(2, "3403"));
      EventCopies.awaitLive(api, "resume", 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> before.eventsOf("resume").stream()
          .filter(e -> e.type() == EventType.INSTANCE_UP).count() == 2);
      before.close();
      long last = before.lastId();

      api.scale("resume", 3); // while the subscriber is away
      EventCopies.awaitLive(api, "resume", 3);
      try (EventStream after = EventStream.resume(SECOND.baseUrl(), last)) {
        deleteAndAwaitGone("resume", "3403");
        await().atMost(Duration.ofSeconds(10)).until(() -> removed(after, "resume"));

        List<Long> seen = new java.util.ArrayList<>(before.ids());
        seen.addAll(after.ids());
        long first = seen.get(0);
        long end = seen.get(seen.size() - 1);
        assertThat(seen).isSorted().doesNotHaveDuplicates()
            .isEqualTo(reference.ids().stream().filter(id -> id >= first && id <= end).toList());
        assertThat(after.ids()).allMatch(id -> id > last);
        assertThat(after.eventsOf("resume")).extracting(Event::type).contains(EventType.SCALED);
        assertThat(after.gaps()).isEmpty();
      }
    }
  }

  @Test
  void aResumePointOlderThanWhatTheServerHasStartsAtItsOldestEventAfterAGapFrame() throws Exception {
    try (EventStream live = EventStream.open(SECOND.baseUrl())) {
      api.apply("old", EventCopies.sleeping(0, "3404"));
      await().atMost(Duration.ofSeconds(10)).until(() -> !live.eventsOf("old").isEmpty());
    }
    try (EventStream stream = EventStream.since(SECOND.baseUrl(), 0)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !stream.eventsOf("old").isEmpty());
      assertThat(stream.gaps()).singleElement().satisfies(gap -> {
        assertThat(gap.after()).isZero();
        assertThat(gap.upTo()).isPositive().isLessThan(stream.ids().get(0));
        assertThat(gap.message()).startsWith("events after 0 up to " + gap.upTo() + " may be missing");
      });
      assertThat(stream.ids()).isSorted().doesNotHaveDuplicates();
    }
    deleteAndAwaitGone("old", "3404");
  }

  @Test
  void anIdleStreamSendsKeepAliveComments() throws Exception {
    try (EventStream stream = EventStream.open(SECOND.baseUrl())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("keep-alive"));
      assertThat(stream.ended()).isFalse();
    }
  }

  @Test
  void aResumePointThatIsNoIdIsRefusedNamingTheField() throws Exception {
    HttpResponse<String> since = api.send("GET", "/events?since=abc", null);
    assertThat(since.statusCode()).isEqualTo(400);
    assertThat(since.body()).contains("since: an event id is a non-negative whole number, got 'abc'");

    try (var header = io.shepherd.server.testing.StreamedGet.open(FIRST.baseUrl() + "/api/v1/events",
        Map.of("Last-Event-ID", "-5"), line -> { })) {
      assertThat(header.status()).isEqualTo(400);
    }
  }
}
