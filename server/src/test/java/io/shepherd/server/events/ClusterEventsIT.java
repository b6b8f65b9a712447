package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.RestartPolicy;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.EventStream;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events about the cluster rather than one copy: agents coming and going, crash loops. */
class ClusterEventsIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  private Api api;

  @BeforeEach
  void api() {
    api = new Api(SERVER.baseUrl());
    await().atMost(Duration.ofSeconds(20)).until(() -> api.leader().isLeader());
  }

  private static List<Event> ofType(EventStream stream, EventType type) {
    return stream.events().stream().filter(e -> e.type() == type).toList();
  }

  @Test
  void anAgentThatRegistersAndGoesAwayIsReportedUpThenDown() throws Exception {
    try (EventStream stream = EventStream.open(SERVER.baseUrl())) {
      TestAgent agent = new TestAgent(ZK.connectString(), "comer");
      await().atMost(Duration.ofSeconds(10)).until(() -> !ofType(stream, EventType.NODE_UP).isEmpty());
      agent.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> !ofType(stream, EventType.NODE_DOWN).isEmpty());

      assertThat(ofType(stream, EventType.NODE_UP)).singleElement().satisfies(e -> {
        assertThat(e.node()).hasValue("comer");
        assertThat(e.message()).startsWith("node comer registered (host 127.0.0.1, capacity ");
      });
      assertThat(ofType(stream, EventType.NODE_DOWN)).singleElement()
          .satisfies(e -> assertThat(e.node()).hasValue("comer"));
      assertThat(stream.ids()).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void aCrashLoopingReplicaSetReportsRisingFailuresWithTheNextSpawnTime() throws Exception {
    try (TestAgent agent = new TestAgent(ZK.connectString(), "crasher");
         EventStream stream = EventStream.open(SERVER.baseUrl())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> api.nodes().size() == 1);
      // The leader's crash loop: each exit goes back to it at once (no restarts in place by the agent).
      api.apply("crashy", ReplicaSetSpec.of(1, List.of("sh", "-c", "exit 3; echo 3601"))
          .withCrashLoop(new CrashLoopPolicy(5_000L, 300L, 1_000L, 60_000L)).withRestart(new RestartPolicy(0, null)));

      await().atMost(Duration.ofSeconds(20)).until(() -> ofType(stream, EventType.CRASH_LOOP).size() >= 3);
      List<Event> loops = ofType(stream, EventType.CRASH_LOOP).subList(0, 3);
      assertThat(loops).allSatisfy(e -> assertThat(e.replicaSet()).hasValue("crashy"));
      assertThat(loops.get(0).message()).isEqualTo("crashy crash-loops: 1 consecutive failure; next copy at once");
      assertThat(loops.get(1).message())
          .startsWith("crashy crash-loops: 2 consecutive failures; next copy not before ");
      assertThat(loops.get(2).message())
          .startsWith("crashy crash-loops: 3 consecutive failures; next copy not before ");
      // Each failure follows the exit of a copy, and precedes its replacement.
      List<EventType> types = stream.eventsOf("crashy").stream().map(Event::type).toList();
      assertThat(types).containsSubsequence(EventType.INSTANCE_UP, EventType.INSTANCE_DOWN, EventType.CRASH_LOOP,
          EventType.ASSIGNED, EventType.INSTANCE_UP, EventType.INSTANCE_DOWN, EventType.CRASH_LOOP);

      api.delete("crashy");
      await().atMost(Duration.ofSeconds(20)).until(() -> api.get("crashy").isEmpty());
      assertThat(Processes.countDescendantsWith("3601")).isZero();
    }
  }

  @Test
  void eventsCarryTheReplicaSetAndNothingForAnotherOne() throws Exception {
    try (EventStream stream = EventStream.open(SERVER.baseUrl())) {
      api.apply("empty", ReplicaSetSpec.of(0, List.of("sleep", "3602")));
      api.delete("empty");
      await().atMost(Duration.ofSeconds(20)).until(() -> api.get("empty").isEmpty()
          && stream.eventsOf("empty").size() == 3);
      assertThat(stream.eventsOf("empty")).extracting(Event::type).containsExactly(EventType.SPEC_CHANGED,
          EventType.REPLICA_SET_DELETED, EventType.REPLICA_SET_DELETED);
      assertThat(stream.eventsOf("empty")).allSatisfy(e -> assertThat(e.instance()).isEqualTo(Optional.empty()));
    }
  }
}
