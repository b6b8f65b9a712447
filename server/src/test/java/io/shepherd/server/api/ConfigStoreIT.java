package io.shepherd.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.api.ConfigFileSpec;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.RolloutReason;
import io.shepherd.server.api.ConfigRestarts.Outcome;
import io.shepherd.server.api.ConfigValues.Written;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Configuration writes against a real ZooKeeper, with a view that has ingested nothing (as a server lagging behind
 * would have): the value and the rolling restart its set asks for are one transaction, decided from what the write
 * read; a spec changed between the read and the commit is read again; an unchanged value writes nothing.
 */
class ConfigStoreIT {
  private static final AtomicInteger ROOTS = new AtomicInteger();

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private CuratorFramework client;
  private ZkLayout layout;
  private ReplicaSetStore sets;

  @BeforeEach
  void setUp() throws Exception {
    client = CuratorFrameworkFactory.newClient(ZK.connectString(), new RetryOneTime(100));
    client.start();
    layout = new ZkLayout("/config-store-" + ROOTS.incrementAndGet());
    client.create().creatingParentsIfNeeded().forPath(layout.replicaSets());
    client.create().forPath(layout.config());
    sets = new ReplicaSetStore(client, layout, new ClusterView(layout));
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private ConfigStore store() {
    return store(() -> { });
  }

  private ConfigStore store(Runnable afterRead) {
    return new ConfigStore(client, layout, new ClusterView(layout), Clock.systemUTC(), afterRead);
  }

  private static ReplicaSetSpec web(String onChange) {
    return ReplicaSetSpec.of(3, List.of("sleep", "60")).withConfigFile(new ConfigFileSpec("app.env", "env", onChange));
  }

  private StoredReplicaSet spec(Stat stat) throws Exception {
    return ServerZnodes.SPEC.decode(client.getData().storingStatIn(stat).forPath(layout.replicaSet("web")));
  }

  private String value(Stat stat) throws Exception {
    return Znodes.CONFIG_VALUE.decode(client.getData().storingStatIn(stat).forPath(layout.configValue("web", "c")));
  }

  private void apply(String onChange) throws Exception {
    sets.apply("web", web(onChange), OptionalInt.empty(), "alice");
  }

  @Test
  void aChangedValueOfASetThatRestartsOnChangeIsWrittenWithItsRestartInOneTransaction() throws Exception {
    apply(ConfigFileSpec.RESTART);

    Written created = store().put("web", "c", "red", OptionalInt.empty(), "bob");
    Written changed = store().put("web", "c", "green", OptionalInt.empty(), "carol");

    assertThat(created).isEqualTo(new Written(0, Outcome.WRITE_AND_RESTART));
    assertThat(changed).isEqualTo(new Written(1, Outcome.WRITE_AND_RESTART));
    Stat specStat = new Stat();
    StoredReplicaSet now = spec(specStat);
    assertThat(now.revision()).isEqualTo(3);
    assertThat(now.cause()).isEqualTo(RolloutReason.RESTART);
    assertThat(now.changedBy()).isEqualTo("carol");
    assertThat(now.spec()).isEqualTo(web(ConfigFileSpec.RESTART));
    Revision third = ServerZnodes.REVISION.decode(client.getData().forPath(layout.revision("web", 3)));
    assertThat(third.cause()).isEqualTo(RolloutReason.RESTART);
    Stat valueStat = new Stat();
    assertThat(value(valueStat)).isEqualTo("green");
    assertThat(valueStat.getMzxid()).as("written by the same transaction").isEqualTo(specStat.getMzxid());
  }

  @Test
  void aValueJustWrittenIsReadBackAtOnceThoughTheViewHasSeenNothing() throws Exception {
    apply(ConfigFileSpec.NONE);
    ConfigStore store = store();
    assertThat(store.get("web", "c")).isEmpty();

    store.put("web", "c", "red", OptionalInt.empty(), "bob");
    assertThat(store.get("web", "c")).contains(new Versioned<>("red", 0));
    store.put("web", "c", "green", OptionalInt.empty(), "bob");
    assertThat(store.get("web", "c")).contains(new Versioned<>("green", 1));
    store.delete("web", "c", OptionalInt.empty(), "bob");
    assertThat(store.get("web", "c")).isEmpty();
  }

  @Test
  void aDeleteOfAValueOfASetThatRestartsOnChangeRestartsItInTheSameTransaction() throws Exception {
    apply(ConfigFileSpec.RESTART);
    store().put("web", "c", "red", OptionalInt.empty(), "bob");

    assertThat(store().delete("web", "c", OptionalInt.of(0), "carol"))
        .isEqualTo(new Written(0, Outcome.WRITE_AND_RESTART));

    assertThat(client.checkExists().forPath(layout.configValue("web", "c"))).isNull();
    assertThat(spec(new Stat()).revision()).isEqualTo(3);
  }

  @Test
  void writingTheStoredValueAgainWritesNothingAndRestartsNothing() throws Exception {
    apply(ConfigFileSpec.RESTART);
    store().put("web", "c", "red", OptionalInt.empty(), "bob");
    Stat specBefore = new Stat();
    spec(specBefore);
    Stat valueBefore = new Stat();
    value(valueBefore);

    assertThat(store().put("web", "c", "red", OptionalInt.empty(), "carol"))
        .isEqualTo(new Written(0, Outcome.UNCHANGED));

    Stat specAfter = new Stat();
    assertThat(spec(specAfter).revision()).isEqualTo(2);
    assertThat(specAfter.getMzxid()).isEqualTo(specBefore.getMzxid());
    Stat valueAfter = new Stat();
    value(valueAfter);
    assertThat(valueAfter.getMzxid()).isEqualTo(valueBefore.getMzxid());
  }

  @Test
  void aSetSwitchedAwayFromRestartingIsNotRestartedEvenByAServerThatHasNotSeenTheSwitch() throws Exception {
    apply(ConfigFileSpec.RESTART);
    apply("none"); // revision 2: the config file is part of the template

    assertThat(store().put("web", "c", "red", OptionalInt.empty(), "bob")).isEqualTo(new Written(0, Outcome.WRITE));

    assertThat(spec(new Stat()).revision()).isEqualTo(2);
  }

  @Test
  void aSpecSwitchedAwayFromRestartingBetweenTheReadAndTheCommitIsReadAgainAndNotRestarted() throws Exception {
    apply(ConfigFileSpec.RESTART);
    AtomicInteger reads = new AtomicInteger();
    ConfigStore store = store(() -> {
      if (reads.incrementAndGet() == 1) {
        try {
          apply("signal:HUP");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });

    assertThat(store.put("web", "c", "red", OptionalInt.empty(), "bob")).isEqualTo(new Written(0, Outcome.WRITE));

    assertThat(reads).hasValue(2);
    StoredReplicaSet now = spec(new Stat());
    assertThat(now.revision()).as("the switch's revision, no restart after it").isEqualTo(2);
    assertThat(now.spec()).isEqualTo(web("signal:HUP"));
    assertThat(value(new Stat())).isEqualTo("red");
  }

  @Test
  void aSpecThatChangesUnderEveryAttemptIs409AndNothingIsWritten() throws Exception {
    apply(ConfigFileSpec.RESTART);
    AtomicInteger replicas = new AtomicInteger(3);
    ConfigStore store = store(() -> {
      try {
        sets.scale("web", replicas.incrementAndGet(), OptionalInt.empty(), "alice");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    assertThatThrownBy(() -> store.put("web", "c", "red", OptionalInt.empty(), "bob"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).contains("changed too often").contains("nothing was written");
        });

    assertThat(client.checkExists().forPath(layout.configValue("web", "c"))).isNull();
    assertThat(spec(new Stat()).revision()).isEqualTo(1);
  }

  @Test
  void aValueChangedBetweenTheReadAndTheCommitOfAWriteWithIfMatchIs412AndNothingIsWritten() throws Exception {
    apply(ConfigFileSpec.RESTART);
    store().put("web", "c", "red", OptionalInt.empty(), "bob");
    AtomicInteger reads = new AtomicInteger();
    ConfigStore store = store(() -> {
      if (reads.incrementAndGet() == 1) {
        try {
          client.setData().forPath(layout.configValue("web", "c"), Znodes.CONFIG_VALUE.encode("blue"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });

    assertThatThrownBy(() -> store.put("web", "c", "green", OptionalInt.of(0), "carol"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(412));

    assertThat(value(new Stat())).isEqualTo("blue");
    assertThat(spec(new Stat()).revision()).as("only bob's restart").isEqualTo(2);
  }

  @Test
  void aSetBeingDeletedOrNotDeclaredGetsTheValueAndNoRestart() throws Exception {
    apply(ConfigFileSpec.RESTART);
    sets.delete("web", OptionalInt.empty(), "alice");

    assertThat(store().put("web", "c", "red", OptionalInt.empty(), "bob")).isEqualTo(new Written(0, Outcome.WRITE));
    assertThat(store().put("api", "c", "red", OptionalInt.empty(), "bob")).isEqualTo(new Written(0, Outcome.WRITE));

    assertThat(spec(new Stat()).revision()).isEqualTo(1);
    assertThat(client.checkExists().forPath(layout.configValue("api", "c"))).isNotNull();
  }
}
