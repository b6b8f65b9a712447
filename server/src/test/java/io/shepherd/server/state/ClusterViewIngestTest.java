package io.shepherd.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.Batches;
import io.shepherd.server.ingest.Znode;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The view as the ingest writes it: batches of whole transactions, and the whole tree after a (re)connection. */
class ClusterViewIngestTest {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

  private final ClusterView view = new ClusterView(LAYOUT);

  private static Znode spec(String name, long zxid) {
    return Batches.znode(LAYOUT.replicaSet(name),
        RecordCodec.write(StoredReplicaSet.of(ReplicaSetSpec.of(1, List.of("sleep", "60")))), 0, zxid);
  }

  private static Znode node(String id, long zxid) {
    return Batches.znode(LAYOUT.node(id),
        RecordCodec.write(new NodeRecord(id, id + ".example", 10, Map.of(), Optional.empty(), NOW)), 0, zxid);
  }

  @Test
  void nothingIsDecidedBeforeTheWholeTreeIsReadNorWhileStale() {
    assertThat(view.isCaughtUp()).isFalse();
    view.apply(Batches.changed(spec("web", 10)));
    assertThat(view.isCaughtUp()).as("a change alone does not catch up").isFalse();

    view.apply(new Batch(Optional.of(List.of(spec("web", 10))), List.of()));
    assertThat(view.isCaughtUp()).isTrue();
    assertThat(view.isInitialized()).isTrue();

    view.markStale();
    assertThat(view.isCaughtUp()).isFalse();
    assertThat(view.isInitialized()).as("still warm").isTrue();
  }

  @Test
  void theTreeReplacesWhatTheViewHeldAndNamesEverySetItMayAffect() {
    view.apply(new Batch(Optional.of(List.of(spec("web", 10), spec("db", 11), node("n1", 12))), List.of()));

    // Reconnected: meanwhile "db" was deleted, "api" created, and node n1 went away.
    Set<String> affected =
        view.apply(new Batch(Optional.of(List.of(spec("web", 10), spec("api", 20))), List.of()));

    assertThat(view.specNames()).containsExactly("api", "web");
    assertThat(view.nodes()).isEmpty();
    assertThat(affected).contains("db", "api", "web");
  }

  @Test
  void changesAfterTheTreeInTheSameBatchAreAppliedOnTopOfIt() {
    Batch batch = new Batch(Optional.of(List.of(spec("web", 10))),
        Batches.deleted(11, LAYOUT.replicaSet("web")).transactions());

    view.apply(batch);

    assertThat(view.specNames()).isEmpty();
  }
}
