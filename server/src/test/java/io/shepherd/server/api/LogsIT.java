package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.StreamedGet;
import io.shepherd.server.testing.TestAgent;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A copy's logs through the server, from the agent of the node that runs it (a separate agent, as on a host). */
class LogsIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  // One test registers two stand-in nodes and removes them: with the default mass-loss breaker that is 2 of 3
  // nodes gone at once, which would hold back the copies of the tests after it.
  static final ServerExtension SERVER = new ServerExtension(ZK::connectString,
      ConfigOverride.config("controller.massLossMinNodes", "100"));

  private static TestAgent agent;
  private Api api;

  @BeforeAll
  static void startAgent() throws Exception {
    agent = new TestAgent(ZK.connectString(), "logs-node");
  }

  @AfterAll
  static void stopAgent() throws Exception {
    agent.close();
  }

  @BeforeEach
  void api() {
    api = new Api(SERVER.baseUrl());
    await().atMost(Duration.ofSeconds(20)).until(() -> api.leader().isLeader() && api.nodes().size() == 1);
  }

  private Instance runOne(String name, List<String> command) throws Exception {
    api.apply(name, ReplicaSetSpec.of(1, command).withStopGraceMs(1_000));
    await().atMost(Duration.ofSeconds(20)).until(() -> api.instances(name).size() == 1
        && Processes.allAlive(api.instances(name)));
    return api.instances(name).get(0);
  }

  private void deleteAndAwaitGone(String name, String marker) throws Exception {
    api.delete(name);
    await().atMost(Duration.ofSeconds(20)).until(() -> api.get(name).isEmpty()
        && Processes.countDescendantsWith(marker) == 0);
  }

  private HttpResponse<String> logs(String name, String id, String query) throws Exception {
    return api.send("GET", "/replicasets/" + name + "/instances/" + id + "/logs" + query, null);
  }

  @Test
  void aCopysLogCanBeReadWholeOrByItsLastLines() throws Exception {
    Instance copy = runOne("tailed", List.of("sh", "-c", "echo hello-1; echo hello-2; echo hello-3; exec sleep 3501"));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> whole = logs("tailed", copy.id(), "");
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo("hello-1\nhello-2\nhello-3\n");
    });
    HttpResponse<String> lastTwo = logs("tailed", copy.id(), "?tail=2");
    assertThat(lastTwo.statusCode()).isEqualTo(200);
    assertThat(lastTwo.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("text/plain"));
    assertThat(lastTwo.body()).isEqualTo("hello-2\nhello-3\n");
    deleteAndAwaitGone("tailed", "3501");
  }

  @Test
  void aFollowingReaderSeesALineTheCopyPrintsLater() throws Exception {
    Path go = Files.createTempDirectory("shepherd-logs").resolve("go");
    Instance copy = runOne("followed", List.of("sh", "-c",
        "echo first-line; while [ ! -e " + go + " ]; do sleep 0.05; done; echo later-line; exec sleep 3502"));

    try (StreamedGet follow = StreamedGet.open(SERVER.baseUrl() + "/api/v1/replicasets/followed/instances/"
        + copy.id() + "/logs?follow=true")) {
      assertThat(follow.status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> follow.lines().contains("first-line"));
      assertThat(follow.lines()).doesNotContain("later-line");

      Files.createFile(go);
      await().atMost(Duration.ofSeconds(10)).until(() -> follow.lines().contains("later-line"));
      assertThat(follow.lines()).containsExactly("first-line", "later-line");
      assertThat(follow.ended()).isFalse();
    }
    deleteAndAwaitGone("followed", "3502");
  }

  @Test
  void anUnknownReplicaSetOrCopyIsNotFound() throws Exception {
    api.apply("known", ReplicaSetSpec.of(0, List.of("sleep", "3503")));

    HttpResponse<String> set = logs("nope", "nope-1", "");
    assertThat(set.statusCode()).isEqualTo(404);
    assertThat(set.body()).contains("replica set nope not found");
    HttpResponse<String> copy = logs("known", "ghost", "?tail=5");
    assertThat(copy.statusCode()).isEqualTo(404);
    assertThat(copy.body()).contains("instance ghost of replica set known not found");
    deleteAndAwaitGone("known", "3503");
  }

  @Test
  void badParametersAreRefusedNamingThem() throws Exception {
    for (String tail : List.of("abc", "-1", "1000001", "1.5")) {
      HttpResponse<String> r = logs("known", "x", "?tail=" + tail);
      assertThat(r.statusCode()).as(tail).isEqualTo(400);
      assertThat(r.body()).as(tail).contains("\"field\":\"tail\"").contains("'" + tail + "'");
    }
    HttpResponse<String> follow = logs("known", "x", "?follow=yes");
    assertThat(follow.statusCode()).isEqualTo(400);
    assertThat(follow.body()).contains("\"field\":\"follow\"");
    assertThat(logs("Not_A_Name", "x", "").statusCode()).isEqualTo(422);
  }

  @Test
  void aNodeWithoutALogServerOrOneThatCannotBeReachedIsUnavailable() throws Exception {
    ZkLayout layout = ZkLayout.defaultLayout();
    try (CuratorFramework zk = TestZkAuth.serverClient(ZK.connectString(), new RetryOneTime(100))) {
      zk.start();
      // Nodes whose agents never start anything: their copies stay assigned (pending), which is enough to ask.
      register(zk, layout, "silent", Optional.empty());
      register(zk, layout, "deaf", Optional.of("http://127.0.0.1:1/logs"));
      api.apply("nolog", ReplicaSetSpec.of(1, List.of("sleep", "3504")).withNodeSelector(Map.of("kind", "silent")));
      api.apply("unreachable", ReplicaSetSpec.of(1, List.of("sleep", "3505")).withNodeSelector(Map.of("kind", "deaf")));
      await().atMost(Duration.ofSeconds(10)).until(() -> zk.getChildren().forPath(layout.assignmentsOf("silent"))
          .size() == 1 && zk.getChildren().forPath(layout.assignmentsOf("deaf")).size() == 1);

      HttpResponse<String> none = logs("nolog", zk.getChildren().forPath(layout.assignmentsOf("silent")).get(0), "");
      assertThat(none.statusCode()).isEqualTo(503);
      assertThat(none.body()).contains("node silent of copy").contains("runs no log server");
      HttpResponse<String> down = logs("unreachable", zk.getChildren().forPath(layout.assignmentsOf("deaf")).get(0),
          "?tail=1");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("cannot reach the log server of node deaf at http://127.0.0.1:1");

      api.delete("nolog");
      api.delete("unreachable");
      await().atMost(Duration.ofSeconds(20))
          .until(() -> api.get("nolog").isEmpty() && api.get("unreachable").isEmpty());
    }
  }

  private static void register(CuratorFramework zk, ZkLayout layout, String id, Optional<String> logsUrl)
      throws Exception {
    zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(layout.node(id),
        RecordCodec.write(new NodeRecord(id, "127.0.0.1", 10, Map.of("kind", id), logsUrl, Instant.now())));
  }
}
