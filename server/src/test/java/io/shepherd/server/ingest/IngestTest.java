package io.shepherd.server.ingest;

import static io.shepherd.server.ingest.Notification.Kind.CHANGED;
import static io.shepherd.server.ingest.Notification.Kind.CREATED;
import static io.shepherd.server.ingest.Notification.Kind.DELETED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ingest against a fake ZooKeeper: no server, no thread; each step is one {@code ingestNext()}. (A step with
 * nothing queued would wait forever: the timeout turns such a mistake into a failure.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IngestTest {
  private static final String ROOT = "/shepherd";
  private static final String INSTANCE = ROOT + "/replicasets/web/instances/web-1";
  private static final String ASSIGNMENT = ROOT + "/assignments/n1/web-1";

  private final FakeZooKeeper zk = new FakeZooKeeper();
  private final List<Batch> applied = new ArrayList<>();
  private int stale;
  private final Ingest ingest = new Ingest(zk, ROOT, new IngestSink() {
    @Override
    public void apply(Batch batch) {
      applied.add(batch);
    }

    @Override
    public void stale() {
      stale++;
    }
  });

  /**
   * ZooKeeper's state and the notifications it sends: {@link #commit} changes the state and queues the
   * notifications as "in flight"; a read hands every notification in flight to the ingest before answering, as a
   * real server's answer travels behind them.
   */
  final class FakeZooKeeper implements ZnodeReader {
    final Map<String, Znode> state = new TreeMap<>();
    final List<Notification> inFlight = new ArrayList<>();
    long zxid = 100;
    int reads;
    boolean failNextRead;
    /** Runs during the next read, before its answer: a transaction committed meanwhile. */
    Runnable duringNextRead = () -> { };

    /** One transaction: puts (path to data, empty: delete) applied at one zxid. */
    void commit(Map<String, Optional<String>> ops, boolean deliverNow) {
      zxid++;
      ops.forEach((path, data) -> {
        Znode before = state.get(path);
        if (data.isEmpty()) {
          state.remove(path);
          inFlight.add(new Notification(DELETED, path, zxid));
        } else {
          state.put(path, new Znode(path, data.get().getBytes(), before == null ? 0 : before.version() + 1,
              before == null ? zxid : before.czxid(), zxid));
          inFlight.add(new Notification(before == null ? CREATED : CHANGED, path, zxid));
        }
      });
      if (deliverNow) {
        deliver();
      }
    }

    void deliver() {
      inFlight.forEach(ingest::notify);
      inFlight.clear();
    }

    @Override
    public Map<String, Znode> read(Collection<String> paths) throws Exception {
      reads++;
      if (failNextRead) {
        failNextRead = false;
        throw new IllegalStateException("connection loss");
      }
      Runnable during = duringNextRead;
      duringNextRead = () -> { };
      during.run();
      Map<String, Znode> read = new HashMap<>();
      paths.stream().filter(state::containsKey).forEach(p -> read.put(p, state.get(p)));
      deliver();
      return read;
    }

    @Override
    public List<Znode> readTree(String root) {
      reads++;
      List<Znode> tree = List.copyOf(state.values());
      deliver();
      return tree;
    }
  }

  private static Map<String, Optional<String>> ops(Object... pathsAndData) {
    Map<String, Optional<String>> ops = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndData.length; i += 2) {
      ops.put((String) pathsAndData[i], Optional.ofNullable((String) pathsAndData[i + 1]));
    }
    return ops;
  }

  private void resynced() throws InterruptedException {
    ingest.resync();
    ingest.ingestNext();
    applied.clear();
  }

  private static List<String> data(Batch batch) {
    return batch.transactions().stream().flatMap(t -> t.changes().stream())
        .map(c -> c.kind() + " " + c.path() + c.now().map(z -> "=" + new String(z.data())).orElse("")).toList();
  }

  @Test
  void theFirstBatchAfterAResyncIsTheWholeTreeAndNotificationsBeforeItAreDropped() throws Exception {
    zk.commit(ops(ASSIGNMENT, "ASSIGNED"), true);
    ingest.resync();

    ingest.ingestNext();

    assertThat(applied).hasSize(1);
    assertThat(applied.get(0).tree()).hasValueSatisfying(tree ->
        assertThat(tree).extracting(Znode::path).containsExactly(ASSIGNMENT));
    assertThat(applied.get(0).transactions()).isEmpty();
    assertThat(stale).isEqualTo(1);
  }

  @Test
  void aRegistrationWhoseSecondNotificationArrivesDuringTheReadIsAppliedWhole() throws Exception {
    zk.commit(ops(ASSIGNMENT, "ASSIGNED"), true);
    resynced();
    // The agent's one transaction: the instance created, the assignment set RUNNING. Only the first notification
    // has arrived when the ingest starts its batch.
    zk.commit(ops(INSTANCE, "pid 42", ASSIGNMENT, "RUNNING"), false);
    ingest.notify(zk.inFlight.remove(0));

    ingest.ingestNext();

    assertThat(applied).hasSize(1);
    assertThat(applied.get(0).transactions()).hasSize(1);
    assertThat(data(applied.get(0))).containsExactly("CREATED " + INSTANCE + "=pid 42",
        "CHANGED " + ASSIGNMENT + "=RUNNING");
  }

  @Test
  void anExitCommittedDuringTheReadIsInTheSameBatchAsTheStateTheReadShows() throws Exception {
    zk.commit(ops(ASSIGNMENT, "ASSIGNED"), true);
    resynced();
    zk.commit(ops(INSTANCE, "pid 42", ASSIGNMENT, "RUNNING"), true);
    // The copy exits while its registration is read: the read shows EXITED, so its transaction (the instance
    // deleted with it) must be applied in the same batch, or the view would hold the instance beside EXITED.
    zk.duringNextRead = () -> zk.commit(ops(INSTANCE, null, ASSIGNMENT, "EXITED"), false);

    ingest.ingestNext();

    assertThat(applied).hasSize(1);
    assertThat(applied.get(0).transactions()).extracting(Transaction::zxid).containsExactly(102L, 103L);
    assertThat(data(applied.get(0))).containsExactly("CREATED " + INSTANCE, "CHANGED " + ASSIGNMENT + "=EXITED",
        "DELETED " + INSTANCE, "CHANGED " + ASSIGNMENT + "=EXITED");
  }

  @Test
  void deletionsAloneStillWaitForTheBarrierSoTheRestOfTheirTransactionJoinsThem() throws Exception {
    zk.commit(ops(INSTANCE, "pid 42", ASSIGNMENT, "RUNNING"), true);
    resynced();
    zk.commit(ops(INSTANCE, null, ASSIGNMENT, "EXITED"), false);
    ingest.notify(zk.inFlight.remove(0));

    ingest.ingestNext();

    assertThat(applied).hasSize(1);
    assertThat(data(applied.get(0))).containsExactly("DELETED " + INSTANCE, "CHANGED " + ASSIGNMENT + "=EXITED");
  }

  @Test
  void transactionsAreAppliedInTheOrderTheServerCommittedThem() throws Exception {
    resynced();
    for (int i = 0; i < 5; i++) {
      zk.commit(ops(ROOT + "/nodes/n" + i, "node"), true);
    }

    ingest.ingestNext();

    assertThat(applied).hasSize(1);
    assertThat(applied.get(0).transactions()).extracting(Transaction::zxid)
        .containsExactly(101L, 102L, 103L, 104L, 105L);
  }

  @Test
  void aFailedReadMakesTheStateStaleAndTheNextBatchReadsTheWholeTree() throws Exception {
    resynced();
    int staleBefore = stale;
    zk.failNextRead = true;
    zk.commit(ops(ASSIGNMENT, "ASSIGNED"), true);

    ingest.ingestNext();
    assertThat(applied).isEmpty();
    assertThat(stale).isEqualTo(staleBefore + 1);

    zk.commit(ops(INSTANCE, "pid 42"), true);
    ingest.ingestNext();

    assertThat(applied).hasSize(1);
    assertThat(applied.get(0).tree()).hasValueSatisfying(tree ->
        assertThat(tree).extracting(Znode::path).containsExactlyInAnyOrder(ASSIGNMENT, INSTANCE));
  }
}
