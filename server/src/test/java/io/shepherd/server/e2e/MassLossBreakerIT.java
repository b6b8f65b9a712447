package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.api.EventType;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ControllerWitness;
import io.shepherd.server.testing.EventStream;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.zk.ZkLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When most nodes vanish at once, rescheduling is held until an operator (or the nodes) say otherwise. */
class MassLossBreakerIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString);

  private final List<TestAgent> agents = new ArrayList<>();

  @AfterEach
  void stopAgents() throws Exception {
    for (TestAgent agent : agents) {
      agent.close();
    }
  }

  private int healthStatus() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(SERVER.adminUrl() + "/healthcheck"))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int assignmentsOn(CuratorFramework zk, List<String> nodes) throws Exception {
    ZkLayout layout = ZkLayout.defaultLayout();
    int count = 0;
    for (String node : nodes) {
      if (zk.checkExists().forPath(layout.assignmentsOf(node)) != null) {
        count += zk.getChildren().forPath(layout.assignmentsOf(node)).size();
      }
    }
    return count;
  }

  @Test
  void losingMostNodesAtOnceHoldsReschedulingUntilAnOperatorResets() throws Exception {
    Api api = new Api(SERVER.baseUrl());
    for (String id : List.of("n1", "n2", "n3", "n4")) {
      agents.add(new TestAgent(ZK.connectString(), id));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> api.leader().isLeader() && api.nodes().size() == 4);
    // Copies stopped with their agents may count as crashes; a short backoff keeps that from slowing the test.
    api.apply("herd", ReplicaSetSpec.of(8, List.of("sleep", "3501")).withStopGraceMs(500)
        .withCrashLoop(new CrashLoopPolicy(1_000L, 100L, 500L, 10_000L)));
    await().atMost(Duration.ofSeconds(20)).until(() -> api.instances("herd").size() == 8);

    for (int i = 0; i < 3; i++) {
      agents.get(i).close();
    }

    await().atMost(Duration.ofSeconds(10)).until(() ->
        api.send("GET", "/breaker", null).body().contains("\"open\":true"));
    assertThat(healthStatus()).isEqualTo(500);
    // Held, not rescheduled: the leader deletes the lost nodes' assignments in the same transaction that would
    // start their replacements. Once it has deleted them all, and then reconciled from a view that holds the loss,
    // every copy it would reschedule is assigned, and its cache saw each.
    try (ControllerWitness witness = new ControllerWitness(SERVER.application().controller(), ZK.connectString())) {
      CuratorFramework zk = SERVER.application().zooKeeperClient();
      await().atMost(Duration.ofSeconds(10)).until(() -> assignmentsOn(zk, List.of("n1", "n2", "n3")) == 0);
      witness.reconcilePast(Duration.ofSeconds(10));
      assertThat(witness.created("herd")).as("copies rescheduled while the breaker is open").isEmpty();
    }
    ReplicaSetStatus held = api.get("herd").orElseThrow();
    assertThat(held.live() + held.pending()).as("copies running or on their way").isLessThan(8);
    assertThat(held.message()).hasValueSatisfying(m -> assertThat(m).contains("held by the mass-loss breaker"));

    try (EventStream events = EventStream.open(SERVER.baseUrl())) {
      HttpResponse<String> reset = api.send("PUT", "/breaker", "{\"open\": false}");
      assertThat(reset.statusCode()).isEqualTo(200);
      // The reset's event names who reset it: the principal the API stored with the breaker.
      await().atMost(Duration.ofSeconds(10)).until(() -> events.events().stream()
          .anyMatch(e -> e.type() == EventType.BREAKER));
      assertThat(events.events()).filteredOn(e -> e.type() == EventType.BREAKER).first()
          .satisfies(e -> assertThat(e.message()).startsWith("mass-loss breaker closed"))
          .satisfies(e -> assertThat(e.by()).hasValue("test-admin"));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> api.instances("herd").size() == 8
        && Processes.countDescendantsWith("3501") == 8);
    await().atMost(Duration.ofSeconds(5)).until(() -> healthStatus() == 200);

    api.delete("herd");
    await().atMost(Duration.ofSeconds(20)).until(() -> Processes.countDescendantsWith("3501") == 0);
  }

  @Test
  void openingTheBreakerByHandIsRefused() throws Exception {
    Api api = new Api(SERVER.baseUrl());
    HttpResponse<String> r = api.send("PUT", "/breaker", "{\"open\": true}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("\"field\":\"open\"");
  }
}
