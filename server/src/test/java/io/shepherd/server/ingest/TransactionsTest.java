package io.shepherd.server.ingest;

import static io.shepherd.server.ingest.Notification.Kind.CHANGED;
import static io.shepherd.server.ingest.Notification.Kind.CREATED;
import static io.shepherd.server.ingest.Notification.Kind.DELETED;
import static io.shepherd.server.ingest.Notification.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionsTest {
  /** Notifications as sent, the znodes as read, and the transactions expected: each a zxid and its paths. */
  record Row(String behaviour, List<Notification> notifications, Map<String, Znode> reads,
      List<Expected> transactions) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  record Expected(long zxid, List<String> paths) {}

  private static Notification n(Notification.Kind kind, String path, long zxid) {
    return new Notification(kind, path, zxid);
  }

  private static Znode read(String path, long czxid, long mzxid) {
    return new Znode(path, new byte[0], 0, czxid, mzxid);
  }

  static Stream<Row> grouping() {
    return Stream.of(
        new Row("3.9: consecutive notifications of one zxid are one transaction, in the order sent",
            List.of(n(CREATED, "/i", 5), n(CHANGED, "/a", 5), n(DELETED, "/x", 6)),
            Map.of("/i", read("/i", 5, 5), "/a", read("/a", 2, 5)),
            List.of(new Expected(5, List.of("/i", "/a")), new Expected(6, List.of("/x")))),
        new Row("3.9: the notification's zxid decides, not a newer read",
            List.of(n(CHANGED, "/a", 5), n(CHANGED, "/a", 7)),
            Map.of("/a", read("/a", 2, 7)),
            List.of(new Expected(5, List.of("/a")), new Expected(7, List.of("/a")))),
        new Row("3.9: a session's end deletes all its ephemerals in one transaction",
            List.of(n(DELETED, "/i1", 9), n(DELETED, "/i2", 9), n(DELETED, "/node", 9)),
            Map.of(),
            List.of(new Expected(9, List.of("/i1", "/i2", "/node")))),
        new Row("3.8: a created znode's czxid and a changed one's mzxid stand in for the zxid",
            List.of(n(CREATED, "/i", UNKNOWN), n(CHANGED, "/a", UNKNOWN), n(CREATED, "/j", UNKNOWN)),
            Map.of("/i", read("/i", 5, 5), "/a", read("/a", 2, 5), "/j", read("/j", 6, 6)),
            List.of(new Expected(5, List.of("/i", "/a")), new Expected(6, List.of("/j")))),
        new Row("3.8: a deletion joins the transaction it follows (an exit: instance deleted, assignment EXITED)",
            List.of(n(CREATED, "/k", UNKNOWN), n(DELETED, "/i", UNKNOWN), n(CHANGED, "/a", UNKNOWN)),
            Map.of("/k", read("/k", 4, 4), "/a", read("/a", 2, 8)),
            List.of(new Expected(4, List.of("/k", "/i")), new Expected(8, List.of("/a")))),
        new Row("3.8: deletions first take the zxid of the first change read after them",
            List.of(n(DELETED, "/i", UNKNOWN), n(CHANGED, "/a", UNKNOWN), n(CHANGED, "/b", UNKNOWN)),
            Map.of("/a", read("/a", 2, 8), "/b", read("/b", 3, 9)),
            List.of(new Expected(8, List.of("/i", "/a")), new Expected(9, List.of("/b")))),
        new Row("3.8: only deletions: one transaction of unknown zxid",
            List.of(n(DELETED, "/i", UNKNOWN), n(DELETED, "/node", UNKNOWN)),
            Map.of(),
            List.of(new Expected(UNKNOWN, List.of("/i", "/node")))),
        new Row("a znode gone by its read joins the transaction it follows (its deletion comes next)",
            List.of(n(CREATED, "/i", UNKNOWN), n(CREATED, "/gone", UNKNOWN), n(DELETED, "/gone", UNKNOWN)),
            Map.of("/i", read("/i", 5, 5)),
            List.of(new Expected(5, List.of("/i", "/gone", "/gone")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grouping")
  void groupsNotificationsIntoTransactions(Row row) {
    List<Transaction> transactions = Transactions.group(row.notifications(), row.reads());

    assertThat(transactions).extracting(t -> new Expected(t.zxid(),
        t.changes().stream().map(ZnodeChange::path).toList())).containsExactlyElementsOf(row.transactions());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grouping")
  void aDeletionOrAZnodeGoneByItsReadCarriesNoContent(Row row) {
    List<ZnodeChange> changes = Transactions.group(row.notifications(), row.reads()).stream()
        .flatMap(t -> t.changes().stream()).toList();

    assertThat(changes).hasSameSizeAs(row.notifications());
    for (ZnodeChange c : changes) {
      Optional<Znode> expected =
          c.kind() == DELETED ? Optional.empty() : Optional.ofNullable(row.reads().get(c.path()));
      assertThat(c.now()).as(c.path()).isEqualTo(expected);
    }
  }
}
