package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.Event;
import io.shepherd.api.EventGap;
import io.shepherd.api.EventType;
import io.shepherd.api.Instance;
import io.shepherd.api.PortSpec;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.client.EventListener;
import io.shepherd.client.EventSubscription;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.Srvr;
import io.shepherd.server.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Shepherd must do on every ZooKeeper version it supports, run by one subclass per version: one server with
 * its local agent keeps three real HTTP copies running, replaces a killed one, scales down and deletes, and the SDK's
 * event reader is told all of it, in order; a second server, without an agent, gives the same events the same ids. A
 * subclass gives the ZooKeeper (registered before the servers, with {@code @Order}, so that it outlives them) and
 * the version it must be.
 */
abstract class ZooKeeperVersionScenario {
  /** What the copies serve; its path, unique to this run, is also the marker of their processes. */
  private static final Path SERVED = LocalHttp.tempDir("shepherd-zk-version-served");
  private static final int FROM = 26_000;
  private static final int TO = 26_999;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private ShepherdClient shepherd;

  /** The server with its local agent ("node-a"), on {@code zookeeper}, its copies' ports in {@link #FROM}..{@link #TO}. */
  static ServerExtension serverWithLocalAgent(Supplier<String> zookeeper, String agentDirPrefix) {
    return ServerExtension.withLocalAgent(zookeeper, "node-a", LocalHttp.tempDir(agentDirPrefix),
        ConfigOverride.config("agent.ports.from", Integer.toString(FROM)),
        ConfigOverride.config("agent.ports.to", Integer.toString(TO)));
  }

  /** The Shepherd server under test, with its local agent. */
  abstract ServerExtension server();

  /** A second Shepherd server on the same ZooKeeper, without an agent. */
  abstract ServerExtension second();

  /** The ZooKeeper server's answer to {@code srvr} now. */
  abstract Srvr srvr();

  /** What the ZooKeeper server's version must start with, e.g. {@code "3.8."}. */
  abstract String expectedVersion();

  /**
   * Whether every server gives a change the same event id: on 3.9 and later, whose notifications carry their zxid;
   * not on 3.8, where each server numbers transactions from what it reads (docs/ARCHITECTURE.md, section 10).
   */
  abstract boolean sameIdsOnEveryServer();

  @BeforeEach
  void client() throws IOException {
    Files.writeString(SERVED.resolve("hello.txt"), "served by a copy\n");
    shepherd = server().adminClientOnceUp();
  }

  @AfterEach
  void closeClient() {
    shepherd.close();
  }

  @Test
  void shepherdRunsOnTheZooKeeperVersionUnderTest() {
    Srvr srvr = srvr();
    assertThat(srvr.version()).as(srvr.text()).startsWith(expectedVersion());
    assertThat(srvr.mode()).as(srvr.text()).isEqualTo("standalone");
    // Shepherd's own znodes (its layout, the leader latch, the agent's registration) are on it.
    assertThat(srvr.nodeCount()).as(srvr.text()).isGreaterThan(10);
  }

  @Test
  void aReplicaSetLivesItsWholeLifeAndTheEventStreamTellsItInOrder() throws Exception {
    Recorder events = new Recorder();
    try (EventSubscription subscription = shepherd.events(OptionalLong.empty(), events)) {
      await().atMost(WAIT).untilTrue(events.connected);
      ReplicaSetSpec web = ReplicaSetSpec.of(3,
              List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1", "--directory",
                  SERVED.toString()))
          .withPorts(List.of(new PortSpec("http")))
          .withEnv(Map.of("PYTHONUNBUFFERED", "1"))
          .withStopGraceMs(2_000)
          .withCrashLoop(new CrashLoopPolicy(0L, null, null, null)); // a kill is no crash: no CRASH_LOOP event

      shepherd.apply("web", web);
      List<Instance> three = awaitServing(3);
      assertThat(three).extracting(Instance::node).containsOnly("node-a");

      // A copy killed is replaced: its agent restarts it in place, a new process serving on the same port.
      Instance victim = three.get(0);
      Processes.sigkill(victim.pid());
      await().atMost(WAIT).until(() -> shepherd.instances("web").stream()
          .anyMatch(i -> i.id().equals(victim.id()) && i.pid() != victim.pid()));
      List<Instance> replaced = awaitServing(3);
      Instance back = replaced.stream().filter(i -> i.id().equals(victim.id())).findFirst().orElseThrow();
      assertThat(back.ports()).isEqualTo(victim.ports());
      assertThat(Processes.alive(victim.pid())).isFalse();

      // Scaled down to one: two copies are stopped, their processes end, one serves on.
      shepherd.scale("web", 1);
      List<Instance> one = awaitServing(1);
      String kept = one.get(0).id();
      List<Long> stoppedPids = replaced.stream().filter(i -> !i.id().equals(kept)).map(Instance::pid).toList();
      assertThat(stoppedPids).hasSize(2);
      await().atMost(WAIT).until(() -> Processes.noneAlive(stoppedPids));
      assertThat(Processes.countDescendantsWith(SERVED.toString())).isEqualTo(1);

      // Deleted: no copy left, no process left.
      shepherd.delete("web");
      await().atMost(WAIT).until(() -> shepherd.find("web").isEmpty());
      await().atMost(WAIT).until(() -> Processes.noneAlive(List.of(one.get(0).pid()))
          && Processes.countDescendantsWith(SERVED.toString()) == 0);

      // The stream told every change, in order: ids increasing, nothing missing, each copy's life in sequence.
      await().atMost(WAIT).untilAsserted(() -> assertThat(events.of("web"))
          .as("the events of web the SDK received (all: %s)", events.all)
          .anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.REPLICA_SET_DELETED);
            assertThat(e.message()).contains("removed");
          }));
      assertThat(events.gaps).isEmpty();
      assertThat(events.all).extracting(Event::id).isSorted().doesNotHaveDuplicates();
      List<Event> seq = events.of("web");
      assertThat(types(seq)).containsSubsequence(EventType.SPEC_CHANGED, EventType.ASSIGNED, EventType.INSTANCE_UP,
          EventType.INSTANCE_DOWN, EventType.INSTANCE_RESTARTED, EventType.SCALED, EventType.STOPPED,
          EventType.INSTANCE_DOWN, EventType.REPLICA_SET_DELETED, EventType.STOPPED, EventType.INSTANCE_DOWN,
          EventType.REPLICA_SET_DELETED);
      assertThat(seq.get(0).type()).isEqualTo(EventType.SPEC_CHANGED);
      assertThat(seq.get(0).message()).startsWith("web created: 3 replicas of [python3, -m, http.server");
      assertThat(seq.get(seq.size() - 1).type()).isEqualTo(EventType.REPLICA_SET_DELETED);
      assertThat(seq).filteredOn(e -> e.type() == EventType.SCALED).extracting(Event::message)
          .containsExactly("web scaled from 3 to 1");
      // 3 copies assigned and, in the end, all 3 stopped (2 by the scale-down, 1 by the delete); the killed one
      // went down and up once more in place.
      assertThat(seq).filteredOn(e -> e.type() == EventType.ASSIGNED).extracting(e -> e.instance().orElseThrow())
          .containsExactlyInAnyOrderElementsOf(three.stream().map(Instance::id).toList());
      assertThat(seq).filteredOn(e -> e.type() == EventType.STOPPED).hasSize(3);
      assertThat(seq).filteredOn(e -> e.type() == EventType.INSTANCE_UP).hasSize(4);
      assertThat(seq).filteredOn(e -> e.type() == EventType.INSTANCE_DOWN).hasSize(4);
      assertThat(seq).filteredOn(e -> e.type() == EventType.INSTANCE_RESTARTED).extracting(Event::message)
          .containsExactly("copy " + victim.id() + " of web restarted in place on node-a after signal 9 (restart 1)");
      assertThat(seq).extracting(Event::type).doesNotContain(EventType.CRASH_LOOP);

      // The scale-down's stops come after its SCALED, the delete's stop after the first REPLICA_SET_DELETED.
      int scaled = indexOf(seq, EventType.SCALED);
      int deleting = indexOf(seq, EventType.REPLICA_SET_DELETED);
      Set<String> scaledAway = seq.subList(scaled, deleting).stream().filter(e -> e.type() == EventType.STOPPED)
          .map(e -> e.instance().orElseThrow()).collect(Collectors.toSet());
      assertThat(scaledAway).hasSize(2).doesNotContain(kept);
      assertThat(seq.subList(deleting, seq.size())).filteredOn(e -> e.type() == EventType.STOPPED)
          .extracting(e -> e.instance().orElseThrow()).containsExactly(kept);

      // Each copy's life in order: the killed one went down and up again in place before it was stopped.
      assertThat(types(ofInstance(seq, victim.id()))).containsSubsequence(EventType.ASSIGNED, EventType.INSTANCE_UP,
          EventType.INSTANCE_DOWN, EventType.INSTANCE_UP, EventType.INSTANCE_RESTARTED, EventType.STOPPED,
          EventType.INSTANCE_DOWN);
      for (Instance copy : three) {
        assertThat(types(ofInstance(seq, copy.id()))).as(copy.id())
            .startsWith(EventType.ASSIGNED, EventType.INSTANCE_UP)
            .endsWith(EventType.STOPPED, EventType.INSTANCE_UNREADY, EventType.INSTANCE_DOWN);
      }
      assertThat(subscription.isOpen()).isTrue();
    }
  }

  @Test
  void twoServersTellTheSameChangesInTheSameOrder() throws Exception {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    try (ShepherdClient other = ShepherdClient.builder().server(second().baseUrl()).token(TestTokens.admin()).build();
        EventSubscription one = shepherd.events(OptionalLong.empty(), first);
        EventSubscription two = other.events(OptionalLong.empty(), second)) {
      await().atMost(WAIT).until(() -> first.connected.get() && second.connected.get());
      shepherd.apply("twin", ReplicaSetSpec.of(1, List.of("sleep", "3801")).withStopGraceMs(1_000));
      awaitLive("twin", 1);
      shepherd.scale("twin", 2);
      awaitLive("twin", 2);
      shepherd.delete("twin");
      await().atMost(WAIT).until(() -> shepherd.find("twin").isEmpty()
          && Processes.countDescendantsWith("sleep 3801") == 0);
      for (Recorder events : List.of(first, second)) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.of("twin"))
            .as("the events of twin the SDK received (all: %s)", events.all)
            .anySatisfy(e -> {
              assertThat(e.type()).isEqualTo(EventType.REPLICA_SET_DELETED);
              assertThat(e.message()).contains("removed");
            }));
      }

      // created, 2 assigned and up, scaled, deleting, 2 stopped, unready and down, removed
      assertThat(withoutIdNorTime(second.of("twin"))).isEqualTo(withoutIdNorTime(first.of("twin"))).hasSize(14);
      for (Recorder events : List.of(first, second)) {
        assertThat(events.all).extracting(Event::id).isSorted().doesNotHaveDuplicates();
      }
      if (sameIdsOnEveryServer()) {
        List<Event> twin = first.of("twin");
        long from = twin.get(0).id();
        long to = twin.get(twin.size() - 1).id();
        assertThat(withoutTime(second.all, from, to)).isEqualTo(withoutTime(first.all, from, to));
      }
      assertThat(first.gaps).isEmpty();
      assertThat(second.gaps).isEmpty();
    }
  }

  /** What an event tells but its id and its time. */
  private static List<List<Object>> withoutIdNorTime(List<Event> events) {
    return events.stream().map(e -> List.<Object>of(e.type(), e.replicaSet(), e.instance(), e.node(), e.message()))
        .toList();
  }

  /** Everything of an event but the time, which is each server's own clock. */
  private static List<List<Object>> withoutTime(List<Event> events, long from, long to) {
    return events.stream().filter(e -> e.id() >= from && e.id() <= to)
        .map(e -> List.<Object>of(e.id(), e.type(), e.replicaSet(), e.instance(), e.node(), e.message()))
        .toList();
  }

  private void awaitLive(String name, int copies) {
    await().atMost(WAIT).until(() -> {
      List<Instance> live = shepherd.instances(name);
      return live.size() == copies && Processes.allAlive(live);
    });
  }

  /** Waits until {@code copies} copies of "web" run, each answering a GET on its own port, and returns them. */
  private List<Instance> awaitServing(int copies) {
    await().atMost(WAIT).ignoreExceptions().until(() -> {
      List<Instance> live = shepherd.instances("web");
      return live.size() == copies && Processes.allAlive(live)
          && live.stream().allMatch(ZooKeeperVersionScenario::serves);
    });
    return shepherd.instances("web");
  }

  private static boolean serves(Instance copy) {
    Integer port = copy.ports().get("http");
    return port != null && port >= FROM && port <= TO
        && LocalHttp.get(port, "/hello.txt").filter("served by a copy\n"::equals).isPresent();
  }

  private static List<EventType> types(List<Event> events) {
    return events.stream().map(Event::type).toList();
  }

  private static List<Event> ofInstance(List<Event> events, String id) {
    return events.stream().filter(e -> e.instance().equals(Optional.of(id))).toList();
  }

  private static int indexOf(List<Event> events, EventType type) {
    int at = types(events).indexOf(type);
    assertThat(at).as("%s in %s", type, types(events)).isNotNegative();
    return at;
  }

  /** What the SDK's subscription delivered: every event, every gap, and whether it connected. */
  private static final class Recorder implements EventListener {
    final List<Event> all = new CopyOnWriteArrayList<>();
    final List<EventGap> gaps = new CopyOnWriteArrayList<>();
    final AtomicBoolean connected = new AtomicBoolean();

    @Override
    public void onEvent(Event event) {
      all.add(event);
    }

    @Override
    public void onGap(EventGap gap) {
      gaps.add(gap);
    }

    @Override
    public void onConnected(URI server) {
      connected.set(true);
    }

    List<Event> of(String replicaSet) {
      return all.stream().filter(e -> e.replicaSet().equals(Optional.of(replicaSet))).toList();
    }
  }
}
