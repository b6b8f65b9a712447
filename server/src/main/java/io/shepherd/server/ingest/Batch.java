package io.shepherd.server.ingest;

import java.util.List;
import java.util.Optional;

/**
 * What the ingest applies at once: whole transactions, in the order ZooKeeper committed them, and after a
 * (re)connection first the whole tree as read.
 *
 * @param tree         every znode under the root, to replace what the view held; empty when this batch only
 *                     changes it
 * @param transactions applied after the tree, in order
 */
public record Batch(Optional<List<Znode>> tree, List<Transaction> transactions) {
  public Batch {
    tree = tree.map(List::copyOf);
    transactions = List.copyOf(transactions);
  }

  public boolean resynced() {
    return tree.isPresent();
  }
}
