package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.StallingLogServer.Mode;
import io.shepherd.server.testing.StallingLogServer;
import io.shepherd.server.testing.StreamedGet;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A log request never hangs on an agent that misbehaves: one that accepts and never answers, one that stops
 * mid-body, one that goes silent while a reader follows; and a stopping server ends the streams it still serves.
 *
 * <p>A regression would hang rather than fail (a body's reader has no deadline of its own): the class timeout
 * turns that into a failure.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LogStallsIT {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private static CuratorFramework zk;

  @BeforeAll
  static void connect() {
    zk = TestZkAuth.serverClient(ZK.connectString(), new RetryOneTime(100));
    zk.start();
  }

  @AfterAll
  static void disconnect() {
    zk.close();
  }

  /** A server that waits at most a second for an agent; stand-in nodes come and go without tripping the breaker. */
  private static ServerExtension server() {
    return new ServerExtension(ZK::connectString, ConfigOverride.config("logs.agentTimeout", "1s"),
        ConfigOverride.config("controller.massLossMinNodes", "100"));
  }

  /** Registers node {@code id} with {@code agent} as its log server and assigns it one copy; returns the copy's id. */
  private static String copyOn(Api api, String id, StallingLogServer agent) throws Exception {
    zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(LAYOUT.node(id),
        RecordCodec.write(new NodeRecord(id, "127.0.0.1", 10, Map.of("kind", id), Optional.of(agent.logsUrl()),
            Instant.now())));
    api.apply(id, ReplicaSetSpec.of(1, List.of("sleep", "3511")).withNodeSelector(Map.of("kind", id)));
    await().atMost(Duration.ofSeconds(20)).until(() -> zk.checkExists().forPath(LAYOUT.assignmentsOf(id)) != null
        && zk.getChildren().forPath(LAYOUT.assignmentsOf(id)).size() == 1);
    return zk.getChildren().forPath(LAYOUT.assignmentsOf(id)).get(0);
  }

  private static String logsPath(String set, String copy) {
    return "/replicasets/" + set + "/instances/" + copy + "/logs";
  }

  /** What a test does once its server runs and has assigned one copy to a node served by {@code agent}. */
  private interface Scenario {
    void run(ServerExtension server, String copy, StallingLogServer agent) throws Exception;
  }

  /** Runs {@code scenario} on a server of its own, with node {@code node} whose log server answers as {@code mode}. */
  private static void on(Mode mode, String node, Scenario scenario) throws Exception {
    ServerExtension server = server();
    try (StallingLogServer agent = new StallingLogServer(mode)) {
      server.start();
      scenario.run(server, copyOn(new Api(server.baseUrl()), node, agent), agent);
    } finally {
      server.stop();
    }
  }

  @Test
  void anAgentThatNeverAnswersGetsA503NamingItsNode() throws Exception {
    on(Mode.SILENT, "silent", (server, copy, agent) -> {
      HttpResponse<String> logs = new Api(server.baseUrl()).send("GET", logsPath("silent", copy), null);

      assertThat(agent.requests()).isEqualTo(1);
      assertThat(logs.statusCode()).isEqualTo(503);
      assertThat(logs.body()).contains("the log server of node silent at " + agent.logsUrl().replace("/logs", "")
          + " did not answer within 1000 ms");
    });
  }

  @Test
  void aLogWhoseAgentStopsMidBodyEndsWhereTheAgentStopped() throws Exception {
    on(Mode.MID_BODY, "stalled", (server, copy, agent) -> {
      HttpResponse<String> logs = new Api(server.baseUrl()).send("GET", logsPath("stalled", copy), null);

      assertThat(logs.statusCode()).isEqualTo(200);
      assertThat(logs.body()).isEqualTo("first-line\n");
    });
  }

  @Test
  void stoppingTheServerEndsAFollowedLogWhoseAgentWentSilent() throws Exception {
    on(Mode.FOLLOWED, "quiet", (server, copy, agent) -> {
      try (StreamedGet follow = StreamedGet.open(server.baseUrl() + "/api/v1" + logsPath("quiet", copy)
          + "?follow=true")) {
        assertThat(follow.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> follow.lines().contains("first-line"));
        assertThat(follow.ended()).as("still followed while the server runs").isFalse();

        // Jetty's graceful stop fails (TimeoutException) if a request is still in progress when it gives up.
        server.stop();

        await().atMost(Duration.ofSeconds(5)).until(follow::ended);
        assertThat(follow.lines()).containsExactly("first-line");
      }
    });
  }
}
