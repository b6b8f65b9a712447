package io.shepherd.server.controller;

import java.util.List;
import java.util.Set;

/** Which revisions a replica set keeps: the last {@link #KEPT}, and always the one a failed rollout goes back to. */
public final class RevisionHistory {
  /** How many revisions are kept. */
  public static final int KEPT = 10;

  private RevisionHistory() {}

  /**
   * The stored revisions to delete once {@code added} is stored: the oldest beyond {@link #KEPT}, never
   * {@code added} itself nor {@code protect} (the last complete revision, which a failed rollout goes back to).
   */
  public static List<Integer> toPrune(Set<Integer> stored, int added, int protect) {
    List<Integer> candidates = stored.stream()
        .filter(r -> r != added && r != protect)
        .sorted()
        .toList();
    int keptBesides = (int) stored.stream().filter(r -> r == protect && r != added).count() + 1;
    int excess = candidates.size() + keptBesides - KEPT;
    return excess <= 0 ? List.of() : candidates.subList(0, Math.min(excess, candidates.size()));
  }
}
