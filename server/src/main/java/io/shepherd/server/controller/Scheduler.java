package io.shepherd.server.controller;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where new copies go: a pure function of the live nodes and where the replica set's copies already are.
 *
 * <p>Each copy goes to the eligible node (labels match the selector, not full) that holds the fewest copies of
 * this replica set (spread), then the fewest copies overall (balance), then the smallest id (so the same input
 * always gives the same answer).
 */
final class Scheduler {
  private Scheduler() {}

  /** The nodes chosen, one per copy placed; fewer than {@code copies} when the rest fit nowhere. */
  record Placement(List<String> nodeIds, Optional<String> shortfallReason) {}

  static Placement place(
      int copies, Map<String, String> selector, Collection<NodeLoad> nodes, Map<String, Integer> copiesOfSetPerNode) {
    if (copies <= 0) {
      return new Placement(List.of(), Optional.empty());
    }
    if (nodes.isEmpty()) {
      return new Placement(List.of(), Optional.of("no live node"));
    }
    List<Candidate> eligible = new ArrayList<>();
    for (NodeLoad node : nodes) {
      if (node.matches(selector)) {
        eligible.add(new Candidate(node.id(), node.capacity(), node.used(), copiesOfSetPerNode.getOrDefault(node.id(), 0)));
      }
    }
    if (eligible.isEmpty()) {
      return new Placement(List.of(), Optional.of("no live node matches nodeSelector " + selector));
    }
    Comparator<Candidate> preference = Comparator.<Candidate>comparingInt(c -> c.ofSet)
        .thenComparingInt(c -> c.used)
        .thenComparing(c -> c.id);
    List<String> chosen = new ArrayList<>(copies);
    for (int i = 0; i < copies; i++) {
      Candidate best = null;
      for (Candidate c : eligible) {
        if (c.used < c.capacity && (best == null || preference.compare(c, best) < 0)) {
          best = c;
        }
      }
      if (best == null) {
        return new Placement(chosen, Optional.of("every eligible node is full"));
      }
      best.used++;
      best.ofSet++;
      chosen.add(best.id);
    }
    return new Placement(chosen, Optional.empty());
  }

  /** Mutable while one placement runs; never escapes it. */
  private static final class Candidate {
    final String id;
    final int capacity;
    int used;
    int ofSet;

    Candidate(String id, int capacity, int used, int ofSet) {
      this.id = id;
      this.capacity = capacity;
      this.used = used;
      this.ofSet = ofSet;
    }
  }

  /** Counts per node, for {@link #place}. */
  static Map<String, Integer> countByNode(Collection<String> nodeIds) {
    Map<String, Integer> counts = new HashMap<>();
    nodeIds.forEach(id -> counts.merge(id, 1, Integer::sum));
    return counts;
  }
}
