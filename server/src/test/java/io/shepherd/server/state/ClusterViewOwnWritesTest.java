package io.shepherd.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.ingest.Batches;
import io.shepherd.server.ingest.Znode;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a server's own writes do to its view, whichever comes first: the write's own note or the ingest's. */
class ClusterViewOwnWritesTest {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();
  private static final StoredReplicaSet WEB = StoredReplicaSet.of(ReplicaSetSpec.of(0, List.of("sleep", "60")));

  private final ClusterView view = new ClusterView(LAYOUT);

  private static Znode spec(StoredReplicaSet stored, int version) {
    return Batches.znode(LAYOUT.replicaSet("web"), RecordCodec.write(stored), version, 10 + version);
  }

  @Test
  void aCreatedSpecIsInTheViewBeforeTheIngestSeesIt() {
    view.assumeSpecCreated("web", new Versioned<>(WEB, 0));

    assertThat(view.spec("web")).hasValueSatisfying(v -> assertThat(v.version()).isZero());
  }

  @Test
  void aReplacedSpecIsKeptUnlessTheIngestHoldsANewerOne() {
    view.apply(Batches.changed(spec(WEB, 3)));

    view.assumeSpec("web", new Versioned<>(WEB.markDeleting(), 2));
    assertThat(view.spec("web")).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(3));
    view.assumeSpec("web", new Versioned<>(WEB.markDeleting(), 4));
    assertThat(view.spec("web")).hasValueSatisfying(v -> assertThat(v.value().deleting()).isTrue());
  }

  @Test
  void markingASetDeletingAfterTheLeaderRemovedItDoesNotBringItBack() {
    view.apply(Batches.changed(spec(WEB, 0)));
    // The leader removed the set marked deleting (no copies), and the ingest applied the removal, before the REST
    // thread that wrote the mark noted its own write.
    view.assumeDeleted(LAYOUT.replicaSet("web"));
    view.apply(Batches.deleted(12, LAYOUT.replicaSet("web")));

    view.assumeSpec("web", new Versioned<>(WEB.markDeleting(), 1));

    assertThat(view.spec("web")).isEmpty();
    assertThat(view.replicaSetNames()).doesNotContain("web");
  }
}
