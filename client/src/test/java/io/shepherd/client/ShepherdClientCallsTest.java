package io.shepherd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.api.Role;
import io.shepherd.api.WhoAmI;
import io.shepherd.api.Instance;
import io.shepherd.api.EventType;
import io.shepherd.api.LeaderInfo;
import io.shepherd.api.Node;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ShepherdJson;
import io.shepherd.fake.FakeShepherdServer;
import io.shepherd.fake.FakeShepherdServer.Recorded;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/** Each operation sends the right method, path and body, and reads the answer into the right type. */
class ShepherdClientCallsTest {
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(2, List.of("python3", "app.py"));

  private FakeShepherdServer server;
  private ShepherdClient client;

  @BeforeEach
  void start() throws IOException {
    server = FakeShepherdServer.start();
    client = ShepherdClient.builder().server(server.url()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private Recorded last() {
    List<Recorded> all = server.requests();
    return all.get(all.size() - 1);
  }

  @Test
  void applyPutsTheSpecAsJsonAndReportsCreationAndVersion() throws IOException {
    Applied first = client.apply("web", WEB);

    assertThat(last().line()).isEqualTo("PUT /api/v1/replicasets/web");
    assertThat(last().header("Content-Type")).contains("application/json");
    assertThat(last().header("If-Match")).isEmpty();
    assertThat(ShepherdJson.newMapper().readValue(last().body(), ReplicaSetSpec.class)).isEqualTo(WEB);
    assertThat(first.created()).isTrue();
    assertThat(first.version()).isEqualTo(1);
    assertThat(first.status().spec()).isEqualTo(WEB);
    assertThat(first.status().instances()).hasSize(2);

    Applied second = client.apply("web", WEB.withReplicas(3));
    assertThat(second.created()).isFalse();
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.status().desired()).isEqualTo(3);
  }

  @Test
  void listAndGetReadTheReplicaSets() {
    client.apply("web", WEB);
    client.apply("worker", ReplicaSetSpec.of(1, List.of("worker")));

    assertThat(client.list()).extracting(s -> s.name() + ":" + s.desired() + ":" + s.live())
        .containsExactly("web:2:2", "worker:1:1");
    assertThat(last().line()).isEqualTo("GET /api/v1/replicasets");

    var web = client.get("web");
    assertThat(last().line()).isEqualTo("GET /api/v1/replicasets/web");
    assertThat(web.name()).isEqualTo("web");
    assertThat(web.version()).isEqualTo(1);
    assertThat(web.instances()).extracting(i -> i.replicaSet()).containsOnly("web");
    assertThat(client.find("nope")).isEmpty();
  }

  @Test
  void scaleSendsTheCountAlone() {
    client.apply("web", WEB);

    var status = client.scale("web", 5);

    assertThat(last().line()).isEqualTo("PUT /api/v1/replicasets/web/replicas");
    assertThat(last().body()).isEqualTo("{\"replicas\":5}");
    assertThat(status.desired()).isEqualTo(5);
    assertThat(status.version()).isEqualTo(2);
  }

  @Test
  void deleteAnswersWithTheSetBeingDeleted() {
    client.apply("web", WEB);

    var status = client.delete("web");

    assertThat(last().line()).isEqualTo("DELETE /api/v1/replicasets/web");
    assertThat(status.deleting()).isTrue();
  }

  @Test
  void restartPostsToTheCopysRestartAndTheCopyKeepsItsId() {
    var instances = client.apply("web", WEB).status().instances();
    String id = instances.get(0).id();

    var status = client.restart("web", id);

    assertThat(last().line()).isEqualTo("POST /api/v1/replicasets/web/instances/" + id + "/restart");
    assertThat(status.instances()).filteredOn(i -> i.id().equals(id)).singleElement()
        .satisfies(i -> assertThat(i.restarts()).isEqualTo(1));
    assertThatThrownBy(() -> client.restart("web", "web-none")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void killInstanceNamesTheCopyAndAsksToScaleOnlyWhenTold() {
    var instances = client.apply("web", WEB).status().instances();

    var replaced = client.killInstance("web", instances.get(0).id(), false);
    assertThat(last().line()).isEqualTo("DELETE /api/v1/replicasets/web/instances/" + instances.get(0).id());
    assertThat(last().query()).isNull();
    assertThat(replaced.desired()).isEqualTo(2);

    var scaled = client.killInstance("web", instances.get(1).id(), true);
    assertThat(last().query()).isEqualTo("scale=true");
    assertThat(scaled.desired()).isEqualTo(1);
  }

  @Test
  void instancesAreTheLiveCopiesWithNodeAndHost() {
    client.apply("web", WEB);

    var instances = client.instances("web", false);

    assertThat(last().line()).isEqualTo("GET /api/v1/replicasets/web/instances");
    assertThat(instances).hasSize(2).allSatisfy(i -> {
      assertThat(i.node()).isEqualTo("node-1");
      assertThat(i.host()).isEqualTo("127.0.0.1");
    });
  }

  @Test
  void discoveryGivesTheReadyCopiesUnlessAskedForAll() {
    client.apply("web", WEB);
    server.store().setReady("web", "web-1", false);

    var ready = client.instances("web");
    assertThat(last().line()).isEqualTo("GET /api/v1/replicasets/web/instances");
    assertThat(last().query()).isEqualTo("ready=true");
    var all = client.instances("web", false);
    assertThat(last().query()).isNull();

    assertThat(ready).extracting(Instance::id).containsExactly("web-2");
    assertThat(all).extracting(Instance::id, Instance::ready).containsExactly(tuple("web-1", false),
        tuple("web-2", true));
  }

  @Test
  void nodesAndLeaderAreRead() {
    Node node = new Node("node-1", "10.0.0.5", 8, 3, Map.of("zone", "a"), Optional.empty(),
        Instant.parse("2024-05-01T10:00:00Z"));
    server.store().addNode(node);
    server.store().setLeader(new LeaderInfo(Optional.of("s2"), "s1", false, 7));

    assertThat(client.nodes()).containsExactly(node);
    assertThat(last().line()).isEqualTo("GET /api/v1/nodes");
    assertThat(client.leader()).isEqualTo(new LeaderInfo(Optional.of("s2"), "s1", false, 7));
    assertThat(last().line()).isEqualTo("GET /api/v1/leader");
  }

  @Test
  void theCallerIsReadWithItsRole() {
    server.store().setCaller(new WhoAmI("vera", Role.VIEWER));
    assertThat(client.whoami()).isEqualTo(new WhoAmI("vera", Role.VIEWER));
    assertThat(last().line()).isEqualTo("GET /api/v1/whoami");
  }

  @Test
  void configValuesAreWrittenReadAndDeleted() {
    var put = client.putConfig("web", "colour", "blue");
    assertThat(last().line()).isEqualTo("PUT /api/v1/config/web/colour");
    assertThat(last().body()).isEqualTo("{\"value\":\"blue\"}");
    assertThat(put.value()).isEqualTo("blue");

    var got = client.getConfig("web", "colour");
    assertThat(last().line()).isEqualTo("GET /api/v1/config/web/colour");
    assertThat(got).isEqualTo(put);

    var updated = client.putConfig("web", "colour", "green", put.version());
    assertThat(last().header("If-Match")).contains("\"" + put.version() + "\"");
    assertThat(updated.version()).isEqualTo(put.version() + 1);

    client.deleteConfig("web", "colour");
    assertThat(last().line()).isEqualTo("DELETE /api/v1/config/web/colour");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.getConfig("web", "colour"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void namesAndKeysAreSentAsSinglePathSegments() {
    client.putConfig("web", "a/b c", "x");

    assertThat(last().path()).isEqualTo("/api/v1/config/web/a%2Fb%20c");
    assertThat(client.getConfig("web", "a/b c").key()).isEqualTo("a/b c");
  }

  @Test
  void logsAskForTheTailAndReturnTheText() throws IOException {
    client.apply("web", WEB);
    for (int i = 1; i <= 5; i++) {
      server.store().appendLog("web", "web-1", "line " + i);
    }

    try (InputStream in = client.logs("web", "web-1", OptionalInt.of(2), false)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("line 4\nline 5\n");
    }
    assertThat(last().line()).isEqualTo("GET /api/v1/replicasets/web/instances/web-1/logs");
    assertThat(last().query()).isEqualTo("tail=2");
    assertThat(last().header("Accept")).contains("text/plain");

    List<String> all = new ArrayList<>();
    client.logs("web", "web-1", OptionalInt.empty(), false, all::add);
    assertThat(all).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
  }

  @Test
  void followedLogsStreamLinesAsTheyAreWrittenUntilTheStreamEnds() throws IOException {
    server.store().appendLog("web", "web-1", "first");
    List<String> lines = new CopyOnWriteArrayList<>();
    ShepherdClient impatient = ShepherdClient.builder().server(server.url())
        .requestTimeout(java.time.Duration.ofMillis(300)).build();

    CompletableFuture<Void> following = CompletableFuture.runAsync(
        () -> impatient.logs("web", "web-1", OptionalInt.empty(), true, lines::add));
    await().until(() -> lines.contains("first"));
    assertThat(server.requests().get(0).query()).isEqualTo("follow=true");
    // The request timeout bounds the wait for the answer to begin, not a streamed body: the stream outlives it.
    // The control: the same timeout, armed after this stream's, does end a request whose answer never begins.
    try (FakeShepherdServer silent = FakeShepherdServer.start();
         ShepherdClient control = ShepherdClient.builder().server(silent.url())
             .requestTimeout(java.time.Duration.ofMillis(300)).retries(0).build()) {
      silent.hang();
      assertThatThrownBy(() -> control.logs("web", "web-1", OptionalInt.empty(), true, line -> { }))
          .isInstanceOfSatisfying(UnavailableException.class,
              e -> assertThat(e.failures().get(0).reason()).isEqualTo("no answer within 300 ms"));
    }
    assertThat(following).as("the followed stream, past its own request timeout").isNotDone();
    server.store().appendLog("web", "web-1", "second");
    await().until(() -> lines.contains("second"));
    server.store().endLog("web", "web-1");

    await().until(following::isDone);
    assertThat(following).isNotCompletedExceptionally();
    assertThat(lines).containsExactly("first", "second");
    impatient.close();
  }

  @Test
  void eventsFromTheStreamReachTheListener() {
    List<io.shepherd.api.Event> events = new CopyOnWriteArrayList<>();
    var published = server.store().publish(EventType.NODE_UP, null, null, "node-1 joined");
    try (EventSubscription sub = client.events(java.util.OptionalLong.of(published.id() - 1), events::add)) {
      await().until(() -> events.size() == 1);
      assertThat(events.get(0)).isEqualTo(published);
      assertThat(sub.lastEventId()).hasValue(published.id());
    }
    Recorded request = server.requests().get(0);
    assertThat(request.line()).isEqualTo("GET /api/v1/events");
    assertThat(request.query()).isEqualTo("since=" + (published.id() - 1));
    assertThat(request.header("Accept")).contains("text/event-stream");
  }
}
