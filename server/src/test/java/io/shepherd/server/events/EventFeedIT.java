package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.IngestSink;
import io.shepherd.server.ingest.ZooKeeperIngest;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The feed alone against a real ZooKeeper: ids are made of the zxids ZooKeeper gave the changes. */
class EventFeedIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private final ZkLayout layout = ZkLayout.defaultLayout();
  private CuratorFramework feedClient;
  private CuratorFramework writer;
  private EventJournal journal;
  private ZooKeeperIngest ingest;

  @BeforeEach
  void start() throws Exception {
    ZkSettings settings = new ZkSettings(ZK.connectString(), layout.root(), Duration.ofSeconds(4),
        Duration.ofSeconds(2));
    writer = ZkClients.newClient(settings);
    writer.start();
    for (String parent : List.of(layout.nodes(), layout.replicaSets(), layout.assignments())) {
      if (writer.checkExists().forPath(parent) == null) {
        writer.create().creatingParentsIfNeeded().forPath(parent);
      }
    }
    feedClient = ZkClients.newClient(settings);
    feedClient.start();
    journal = new EventJournal(1_000, 1_000);
    EventFeed feed = new EventFeed(layout, journal::publish, journal::missed, Clock.systemUTC());
    ingest = new ZooKeeperIngest(feedClient, layout.root(), new IngestSink() {
      @Override
      public void apply(Batch batch) {
        feed.accept(batch);
      }

      @Override
      public void stale() {
      }
    });
    ingest.start();
    // The watch is set asynchronously: register nodes until the feed reports one.
    int[] warmUps = {0};
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
      createNode("warm-up-" + warmUps[0]++);
      return !journal.events().isEmpty();
    });
  }

  @AfterEach
  void stop() {
    ingest.close();
    feedClient.close();
    writer.close();
  }

  private Stat createNode(String id) throws Exception {
    Stat stat = new Stat();
    writer.create().storingStatIn(stat).withMode(CreateMode.EPHEMERAL).forPath(layout.node(id),
        RecordCodec.write(new NodeRecord(id, "10.0.0.7", 4, Map.of(), Optional.empty(), Instant.now())));
    return stat;
  }

  private Event awaitNodeUp(long zxid) {
    long id = EventIds.of(zxid, 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> journal.events().stream().anyMatch(e -> e.id() == id));
    return journal.events().stream().filter(e -> e.id() == id).findFirst().orElseThrow();
  }

  @Test
  void anEventsIdIsTheZxidOfItsChange() throws Exception {
    Stat stat = createNode("n1");

    Event up = awaitNodeUp(stat.getCzxid());
    assertThat(up.type()).isEqualTo(EventType.NODE_UP);
    assertThat(up.node()).hasValue("n1");
    assertThat(up.message()).isEqualTo("node n1 registered (host 10.0.0.7, capacity 4)");

    writer.delete().forPath(layout.node("n1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> journal.events().stream()
        .anyMatch(e -> e.type() == EventType.NODE_DOWN && e.node().equals(Optional.of("n1"))));
    Event down = journal.events().get(journal.events().size() - 1);
    // A delete's zxid is in no Stat: it comes from the notification.
    assertThat(EventIds.zxid(down.id())).isGreaterThan(stat.getCzxid());
    assertThat(EventIds.index(down.id())).isZero();
  }

  @Test
  void theChangesOfOneTransactionShareItsZxidInTheirOperationOrder() throws Exception {
    List<CuratorOp> ops = List.of(
        writer.transactionOp().create().forPath(layout.replicaSet("web"),
            RecordCodec.write(StoredReplicaSet.of(ReplicaSetSpec.of(2, List.of("sleep", "1"))))),
        writer.transactionOp().create().forPath(layout.instances("web")),
        writer.transactionOp().create().forPath(layout.instance("web", "web-2"), RecordCodec.write(
            new InstanceRecord("web-2", "web", "n2", "10.0.0.7", 77, Instant.now(), 0))),
        writer.transactionOp().create().forPath(layout.instance("web", "web-1"), RecordCodec.write(
            new InstanceRecord("web-1", "web", "n2", "10.0.0.7", 66, Instant.now(), 0))));
    writer.transaction().forOperations(ops);
    long zxid = writer.checkExists().forPath(layout.instance("web", "web-1")).getCzxid();

    await().atMost(Duration.ofSeconds(10)).until(() -> journal.events().stream()
        .filter(e -> e.type() == EventType.INSTANCE_UP).count() == 2);
    List<Event> ups = journal.events().stream().filter(e -> e.type() == EventType.INSTANCE_UP).toList();
    // The instances parent is not reported but still counts towards the index.
    assertThat(ups).extracting(Event::id).containsExactly(EventIds.of(zxid, 2), EventIds.of(zxid, 3));
    assertThat(journal.events()).filteredOn(e -> e.type() == EventType.SPEC_CHANGED).extracting(Event::id)
        .containsExactly(EventIds.of(zxid, 0));
    assertThat(ups).extracting(Event::message).containsExactly("copy web-2 of web is up on n2 (pid 77)",
        "copy web-1 of web is up on n2 (pid 66)");

    writer.delete().forPath(layout.instance("web", "web-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> journal.events().stream()
        .anyMatch(e -> e.type() == EventType.INSTANCE_DOWN));
    assertThat(journal.events().get(journal.events().size() - 1).message())
        .isEqualTo("copy web-1 of web is down on n2");
  }

  @Test
  void afterItsSessionExpiresTheFeedWatchesAgainOnTheNewSession() throws Exception {
    long session = feedClient.getZookeeperClient().getZooKeeper().getSessionId();
    feedClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> feedClient.getZookeeperClient()
        .isConnected() && feedClient.getZookeeperClient().getZooKeeper().getSessionId() != session);

    Stat stat = createNode("n3");
    assertThat(awaitNodeUp(stat.getCzxid()).node()).hasValue("n3");
    assertThat(journal.events()).extracting(Event::id).isSorted().doesNotHaveDuplicates();
  }
}
