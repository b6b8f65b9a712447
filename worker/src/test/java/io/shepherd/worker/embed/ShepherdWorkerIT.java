package io.shepherd.worker.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.worker.zk.ZkLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShepherdWorkerIT {
  private final ZkLayout layout = ZkLayout.defaultLayout();
  private TestingServer zk;
  private CuratorFramework client;

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = new TestingServer(true);
    client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
    client.start();
  }

  @AfterEach
  void stopZooKeeper() throws Exception {
    client.close();
    zk.close();
  }

  @Test
  void exactlyOneCopyOfAReplicaSetLeadsAndAnotherTakesOverWhenItCloses() throws Exception {
    ShepherdWorker a = ShepherdWorker.create(client, layout, new WorkerIdentity("web", "web-a", "n1"));
    ShepherdWorker b = ShepherdWorker.create(client, layout, new WorkerIdentity("web", "web-b", "n2"));
    ShepherdWorker other = ShepherdWorker.create(client, layout, new WorkerIdentity("db", "db-a", "n1"));
    try (a; b; other) {
      a.start();
      b.start();
      other.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() ^ b.isLeader());
      assertThat(other.awaitLeadership(10, java.util.concurrent.TimeUnit.SECONDS))
          .as("another replica set elects its own leader").isTrue();

      ShepherdWorker leader = a.isLeader() ? a : b;
      ShepherdWorker follower = leader == a ? b : a;
      leader.close();
      await().atMost(Duration.ofSeconds(10)).until(follower::isLeader);
    }
  }

  @Test
  void configurationValuesAreWatched() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (ShepherdWorker w = ShepherdWorker.create(client, layout, new WorkerIdentity("web", "web-a", "n1"))) {
      w.addConfigListener((key, value) -> seen.add(key + "=" + value.orElse("<deleted>")));
      w.start();
      assertThat(w.config("color")).isEmpty();

      client.create().creatingParentsIfNeeded()
          .forPath(layout.configValue("web", "color"), "blue".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).until(() -> w.config("color").equals(Optional.of("blue")));
      client.setData().forPath(layout.configValue("web", "color"), "green".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(10)).until(() -> w.config("color").equals(Optional.of("green")));
      client.delete().forPath(layout.configValue("web", "color"));
      await().atMost(Duration.ofSeconds(10)).until(() -> w.config("color").isEmpty());

      assertThat(seen).containsExactly("color=blue", "color=green", "color=<deleted>");
    }
  }

  @Test
  void theIdentityComesFromTheEnvironmentTheAgentSets() {
    WorkerIdentity id = new WorkerIdentity("web", "web-x1", "n7");
    assertThat(WorkerIdentity.fromEnvironment(id.toEnvironment())).contains(id);
    assertThat(WorkerIdentity.fromEnvironment(Map.of())).isEmpty();
  }
}
