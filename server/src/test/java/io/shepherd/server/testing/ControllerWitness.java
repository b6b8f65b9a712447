package io.shepherd.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.server.controller.Controller;
import io.shepherd.server.controller.Fence;
import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.Znode;
import io.shepherd.server.ingest.Notification;
import io.shepherd.server.ingest.ZnodeChange;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkPath;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;

/**
 * The event that ends a "nothing more happens" wait, for a controller that runs in the test's JVM: instead of
 * watching for a while, a test waits until the controller has decided, and committed, everything that follows
 * from what ZooKeeper held at a point, then asserts the state once. How long that takes does not matter.
 *
 * <ul>
 *   <li>{@link #catchUp}: a marker znode is created under the root; once the controller's own ingest has applied
 *       it, its view holds every change committed before it (the ingest applies changes in ZooKeeper's order);
 *   <li>{@link #reconcilePast}: caught up, the controller re-queues every replica set (its periodic resync's
 *       action) and its queue drains: every decision the view calls for has been made and its plan committed
 *       (commits are synchronous on the reconcile thread); caught up again, so that {@link #created} holds what
 *       that reconcile wrote.
 * </ul>
 * Also records every assignment creation the controller's ingest applies from the moment the witness is made, so
 * that a copy started and stopped again before the test looks is still counted.
 *
 * <p>Decisions the controller defers on purpose (a backoff, a launch timeout, a vanished node's grace) are not
 * forced: a test relying on this must be past those.
 */
public final class ControllerWitness implements AutoCloseable {
  private static final String MARKER = "witness-";

  private final Controller controller;
  private final ZkLayout layout;
  private final CuratorFramework client;
  private final String markerPrefix;
  private final List<AssignmentRecord> created = new CopyOnWriteArrayList<>();
  private final Set<String> markersSeen = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public ControllerWitness(Controller controller, String connectString) throws InterruptedException {
    this(controller, connectString, ZkLayout.defaultLayout());
  }

  public ControllerWitness(Controller controller, String connectString, ZkLayout layout) throws InterruptedException {
    this.controller = controller;
    this.layout = layout;
    this.markerPrefix = layout.root() + "/" + MARKER;
    this.client = ObserverClients.patient(connectString);
    controller.addChangeListener(this::seen);
  }

  private void seen(Batch batch) {
    if (closed) {
      return;
    }
    // A resync's tree read holds a marker whose creation it may have swallowed (a notification that arrived before
    // the resync was asked for is dropped: the tree tells what it would have): the view holds the marker all the same.
    batch.tree().ifPresent(tree -> tree.stream().map(Znode::path).filter(p -> p.startsWith(markerPrefix))
        .forEach(markersSeen::add));
    batch.transactions().forEach(t -> t.changes().forEach(this::seen));
  }

  private void seen(ZnodeChange change) {
    if (change.kind() != Notification.Kind.CREATED) {
      return;
    }
    String path = change.path();
    if (path.startsWith(markerPrefix)) {
      markersSeen.add(path);
    } else if (layout.parse(path) instanceof ZkPath.Assignment && change.now().isPresent()) {
      created.add(RecordCodec.read(change.now().get().data(), AssignmentRecord.class));
    }
  }

  /** Waits until the controller's view holds every change ZooKeeper committed before this call. */
  public void catchUp(Duration atMost) throws Exception {
    String marker = client.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(markerPrefix, new byte[0]);
    try {
      await().atMost(atMost).until(() -> markersSeen.contains(marker));
    } finally {
      client.delete().quietly().forPath(marker);
    }
  }

  /**
   * Waits until the controller, leading, has reconciled every replica set from a view that holds everything
   * committed before this call, and its ingest has applied what that wrote. Fails if it does not lead: a standby
   * decides nothing, and waiting for it would prove nothing.
   */
  public void reconcilePast(Duration atMost) throws Exception {
    catchUp(atMost);
    Optional<Fence> fence = controller.fence();
    assertThat(fence).as("the witnessed controller leads, with its epoch claimed").isPresent();
    controller.queue().resyncNow();
    assertThat(controller.queue().awaitIdle(atMost)).as("the controller's queue drained").isTrue();
    assertThat(controller.fence()).as("the witnessed controller still leads, under the same fence").isEqualTo(fence);
    catchUp(atMost);
  }

  /**
   * Waits until one of {@code servers} leads and has reconciled past this call ({@link #reconcilePast}): the event
   * that ends a "nothing more happens" wait when any of several servers may lead.
   */
  public static void reconcilePastByLeader(Duration atMost, ServerExtension... servers) {
    await().atMost(atMost).untilAsserted(() -> {
      ServerExtension leading = Stream.of(servers).filter(s -> s.application().controller().isLeader())
          .findFirst().orElseThrow(() -> new AssertionError("no server leads"));
      try (ControllerWitness witness = new ControllerWitness(leading.application().controller(),
          leading.support().getConfiguration().zookeeper.connect)) {
        witness.reconcilePast(atMost);
      }
    });
  }

  /** Every assignment of {@code replicaSet} the controller's ingest saw created since this witness was made. */
  public List<AssignmentRecord> created(String replicaSet) {
    return created.stream().filter(a -> a.replicaSet().equals(replicaSet)).toList();
  }

  @Override
  public void close() {
    closed = true;
    client.close();
  }
}
