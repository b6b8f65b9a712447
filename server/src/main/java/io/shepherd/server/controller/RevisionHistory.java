package io.shepherd.server.controller;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which revisions a replica set keeps: the last {@link #KEPT} by number, and besides them the one a failed rollout
 * goes back to.
 */
public final class RevisionHistory {
  /** How many revisions are kept. */
  public static final int KEPT = 10;

  private RevisionHistory() {}

  /**
   * The stored revisions to delete once {@code added} is stored, oldest first: those beyond the newest {@link #KEPT}
   * (counting {@code added}), but never {@code protect} (the last complete revision, which a failed rollout goes back
   * to; 0 for none), which is then kept as one more.
   */
  public static List<Integer> toPrune(Set<Integer> stored, int added, int protect) {
    return Stream.concat(stored.stream(), Stream.of(added))
        .distinct()
        .sorted(Comparator.reverseOrder())
        .skip(KEPT)
        .filter(r -> r != protect)
        .sorted()
        .toList();
  }
}
