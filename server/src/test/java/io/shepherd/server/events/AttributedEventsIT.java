package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.Instance;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.EventStream;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The events of a copy stopped or restarted, of a configuration value set or deleted and of a rollout paused or resumed
 * over REST name the caller (the tests' admin token, "test-admin"), on the server that took the request and on
 * another, while what the cluster does by itself names nobody.
 */
class AttributedEventsIT {
  private static final Path AGENT_DIR = LocalHttp.tempDir("shepherd-attributed");
  private static final String WHO = "test-admin";

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension FIRST = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR);

  @RegisterExtension
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  private Api api;

  @BeforeEach
  void api() {
    api = new Api(FIRST.baseUrl());
    await().atMost(Duration.ofSeconds(30)).until(() -> api.leader().leader().isPresent() && api.nodes().size() == 1);
  }

  private static Optional<Event> find(EventStream stream, EventType type, String instance) {
    return stream.eventsOf("attributed").stream()
        .filter(e -> e.type() == type && e.instance().equals(Optional.of(instance)))
        .findFirst();
  }

  @Test
  void aConfigValueSetAndDeletedOverRestIsTheCallersOnEveryServerAndTheEventsHoldNoValue() throws Exception {
    try (EventStream first = EventStream.open(FIRST.baseUrl()); EventStream second = EventStream.open(SECOND.baseUrl())) {
      HttpResponse<String> set = api.send("PUT", "/config/configured/DB_PASSWORD", "{\"value\":\"hunter2\"}");
      assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
      // One change at a time, each seen before the next: a change read only after the next is reported without them.
      await().atMost(Duration.ofSeconds(10)).until(() -> !configEvents(first).isEmpty()
          && !configEvents(second).isEmpty());
      HttpResponse<String> deleted = api.send("DELETE", "/config/configured/DB_PASSWORD", null);
      assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

      for (EventStream stream : List.of(first, second)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> configEvents(stream).size() >= 2);
        assertThat(configEvents(stream)).extracting(Event::message).containsExactly(
            "configured config DB_PASSWORD set by " + WHO, "configured config DB_PASSWORD deleted by " + WHO);
        assertThat(configEvents(stream)).allSatisfy(e -> assertThat(e.by()).hasValue(WHO));
        assertThat(stream.events()).extracting(Event::message).noneMatch(m -> m.contains("hunter2"));
      }
    }
  }

  private static List<Event> configEvents(EventStream stream) {
    return stream.eventsOf("configured").stream().filter(e -> e.type() == EventType.CONFIG_CHANGED).toList();
  }

  @Test
  void aCopyStoppedOrRestartedOverRestIsTheCallersOnEveryServerAndItsReplacementIsNobodys() throws Exception {
    try (EventStream first = EventStream.open(FIRST.baseUrl()); EventStream second = EventStream.open(SECOND.baseUrl())) {
      api.apply("attributed", EventCopies.sleeping(2, "3561"));
      List<Instance> two = EventCopies.awaitLive(api, "attributed", 2);
      Instance stopped = two.get(0);
      Instance restarted = two.get(1);

      api.kill("attributed", stopped.id(), false);
      // The leader deletes the assignment a user asked to stop and replaces the copy; its agent stops the process.
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        List<Instance> live = api.instances("attributed");
        return live.size() == 2 && Processes.allAlive(live)
            && live.stream().noneMatch(i -> i.id().equals(stopped.id())) && !Processes.alive(stopped.pid());
      });
      HttpResponse<String> restart = api.send("POST",
          "/replicasets/attributed/instances/" + restarted.id() + "/restart", "");
      assertThat(restart.statusCode()).as(restart.body()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(30)).until(() -> api.instances("attributed").stream()
          .anyMatch(i -> i.id().equals(restarted.id()) && i.pid() != restarted.pid()));

      Instance restartedNow = api.instances("attributed").stream().filter(i -> i.id().equals(restarted.id()))
          .findFirst().orElseThrow();
      api.kill("attributed", restarted.id(), true);
      HttpResponse<String> repeated = api.send("DELETE", "/replicasets/attributed/instances/" + restarted.id()
          + "?scale=true", null);
      assertThat(repeated.statusCode()).as("a kill repeated: " + repeated.body()).isEqualTo(404);
      await().atMost(Duration.ofSeconds(30)).until(() -> api.instances("attributed").size() == 1
          && !Processes.alive(restartedNow.pid()));
      assertThat(api.get("attributed").orElseThrow().desired()).as("lowered once").isEqualTo(1);

      for (EventStream stream : List.of(first, second)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> find(stream, EventType.STOPPED, stopped.id()).isPresent()
            && find(stream, EventType.INSTANCE_RESTARTED, restarted.id()).isPresent()
            && find(stream, EventType.STOPPED, restarted.id()).isPresent());
        // Killed with ?scale=true: the count lowered in the same transaction names the caller.
        assertThat(stream.eventsOf("attributed")).filteredOn(e -> e.type() == EventType.SCALED)
            .extracting(Event::by).containsExactly(Optional.of(WHO));
        Event stop = find(stream, EventType.STOPPED, stopped.id()).orElseThrow();
        assertThat(stop.by()).as(stop.message()).hasValue(WHO);
        assertThat(stop.message()).endsWith("(stop asked by " + WHO + ")");
        Event again = find(stream, EventType.INSTANCE_RESTARTED, restarted.id()).orElseThrow();
        assertThat(again.by()).as(again.message()).hasValue(WHO);
        assertThat(stream.eventsOf("attributed")).as("the copies the cluster assigned by itself")
            .filteredOn(e -> e.type() == EventType.ASSIGNED).hasSizeGreaterThanOrEqualTo(3)
            .allSatisfy(e -> assertThat(e.by()).isEmpty());
      }
    }
    api.delete("attributed");
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("attributed").isEmpty()
        && Processes.countDescendantsWith("3561") == 0);
  }

  @Test
  void aPauseAndAResumeOverRestAreTheCallersOnEveryServer() throws Exception {
    api.apply("paused", EventCopies.sleeping(1, "3562"));
    EventCopies.awaitLive(api, "paused", 1);
    try (EventStream first = EventStream.open(FIRST.baseUrl()); EventStream second = EventStream.open(SECOND.baseUrl())) {
      assertThat(api.send("POST", "/replicasets/paused/rollout/pause", "").statusCode()).isBetween(200, 202);
      await().atMost(Duration.ofSeconds(10)).until(() -> rolloutEvents(first).size() == 1
          && rolloutEvents(second).size() == 1);
      assertThat(api.send("POST", "/replicasets/paused/rollout/resume", "").statusCode()).isBetween(200, 202);

      for (EventStream stream : List.of(first, second)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> rolloutEvents(stream).size() >= 2);
        assertThat(rolloutEvents(stream)).extracting(Event::type)
            .containsExactly(EventType.ROLLOUT_PAUSED, EventType.ROLLOUT_PROGRESS);
        assertThat(rolloutEvents(stream)).allSatisfy(e -> assertThat(e.by()).as(e.message()).hasValue(WHO));
      }
    }
    api.delete("paused");
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("paused").isEmpty()
        && Processes.countDescendantsWith("3562") == 0);
  }

  private static List<Event> rolloutEvents(EventStream stream) {
    return stream.eventsOf("paused").stream().filter(e -> e.type().name().startsWith("ROLLOUT_")).toList();
  }
}
