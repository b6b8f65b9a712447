package io.shepherd.server.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups notifications, in the order the server sent them, into transactions: consecutive notifications of one
 * zxid are one transaction. Pure.
 *
 * <p>A ZooKeeper 3.9 server puts the zxid on each notification. An older one does not; then a created znode's
 * czxid and a changed one's mzxid, as read, stand in for it, and a notification whose zxid nothing tells (a
 * deletion, a znode already gone by the read) joins the transaction it follows. A read newer than its
 * notification can join two transactions into one; the ingest applies whole batches of transactions together, so
 * that only blurs the grouping, never the state.
 */
public final class Transactions {
  private Transactions() {}

  /**
   * @param notifications in the order the server sent them
   * @param reads         each read znode by path; absent for a znode that was gone by the read
   */
  public static List<Transaction> group(List<Notification> notifications, Map<String, Znode> reads) {
    List<Transaction> transactions = new ArrayList<>();
    List<ZnodeChange> current = new ArrayList<>();
    long currentZxid = Notification.UNKNOWN;
    for (Notification n : notifications) {
      Optional<Znode> now = n.needsRead() ? Optional.ofNullable(reads.get(n.path())) : Optional.empty();
      long zxid = zxidOf(n, now);
      if (zxid != Notification.UNKNOWN && currentZxid != Notification.UNKNOWN && zxid != currentZxid) {
        transactions.add(new Transaction(currentZxid, current));
        current = new ArrayList<>();
        currentZxid = Notification.UNKNOWN;
      }
      if (currentZxid == Notification.UNKNOWN) {
        currentZxid = zxid;
      }
      current.add(new ZnodeChange(n.kind(), n.path(), now));
    }
    if (!current.isEmpty()) {
      transactions.add(new Transaction(currentZxid, current));
    }
    return transactions;
  }

  private static long zxidOf(Notification n, Optional<Znode> now) {
    if (n.zxid() != Notification.UNKNOWN) {
      return n.zxid();
    }
    return switch (n.kind()) {
      case CREATED -> now.map(Znode::czxid).orElse(Notification.UNKNOWN);
      case CHANGED -> now.map(Znode::mzxid).orElse(Notification.UNKNOWN);
      case DELETED -> Notification.UNKNOWN;
    };
  }
}
