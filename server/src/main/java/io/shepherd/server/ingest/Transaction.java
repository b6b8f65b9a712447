package io.shepherd.server.ingest;

import java.util.List;

/**
 * The changes of one ZooKeeper transaction, in the order the server notified them.
 *
 * @param zxid the transaction's zxid; {@link Notification#UNKNOWN} when neither the notifications nor the reads
 *             told it (deletions seen from a server older than 3.9)
 */
public record Transaction(long zxid, List<ZnodeChange> changes) {
  public Transaction {
    changes = List.copyOf(changes);
  }
}
