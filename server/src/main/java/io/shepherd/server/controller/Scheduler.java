package io.shepherd.server.controller;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where new copies go: a pure function of the live nodes and where the replica set's copies already are.
 *
 * <p>Each copy goes to the eligible node (labels match the selector, not full, with a free port in its range for each
 * of the spec's ports) that holds the fewest copies of this replica set (spread), then the fewest copies overall
 * (balance), then the smallest id; a node where a copy of the set was just given back comes after every other (so the same input always gives the same answer).
 */
final class Scheduler {
  private Scheduler() {}

  /** The nodes chosen, one per copy placed; fewer than {@code copies} when the rest fit nowhere. */
  record Placement(List<String> nodeIds, Optional<String> shortfallReason) {}

  static Placement place(
      int copies, Map<String, String> selector, Collection<NodeLoad> nodes, Map<String, Integer> copiesOfSetPerNode) {
    return place(copies, selector, 0, nodes, copiesOfSetPerNode);
  }

  /**
   * The nodes chosen, one per copy placed, for copies that need {@code portsPerCopy} ports each: a node whose range
   * has fewer free ports does not fit.
   */
  static Placement place(int copies, Map<String, String> selector, int portsPerCopy, Collection<NodeLoad> nodes,
      Map<String, Integer> copiesOfSetPerNode) {
    return place(copies, selector, portsPerCopy, nodes, copiesOfSetPerNode, Set.of());
  }

  /**
   * As above, avoiding the nodes in {@code avoid} (where a copy was given back by its agent) whenever another
   * eligible node fits: they come last in the preference, but still take a copy that fits nowhere else.
   */
  static Placement place(int copies, Map<String, String> selector, int portsPerCopy, Collection<NodeLoad> nodes,
      Map<String, Integer> copiesOfSetPerNode, Set<String> avoid) {
    if (copies <= 0) {
      return new Placement(List.of(), Optional.empty());
    }
    if (nodes.isEmpty()) {
      return new Placement(List.of(), Optional.of("no live node"));
    }
    List<Candidate> eligible = new ArrayList<>();
    for (NodeLoad node : nodes) {
      if (node.matches(selector)) {
        eligible.add(new Candidate(
            node.id(), node.capacity(), node.used(), copiesOfSetPerNode.getOrDefault(node.id(), 0), node.freePorts()));
      }
    }
    if (eligible.isEmpty()) {
      return new Placement(List.of(), Optional.of("no live node matches nodeSelector " + selector));
    }
    Comparator<Candidate> preference = Comparator.<Candidate>comparingInt(c -> avoid.contains(c.id) ? 1 : 0)
        .thenComparingInt(c -> c.ofSet)
        .thenComparingInt(c -> c.used)
        .thenComparing(c -> c.id);
    List<String> chosen = new ArrayList<>(copies);
    for (int i = 0; i < copies; i++) {
      Candidate best = null;
      for (Candidate c : eligible) {
        if (c.fits(portsPerCopy) && (best == null || preference.compare(c, best) < 0)) {
          best = c;
        }
      }
      if (best == null) {
        return new Placement(chosen, Optional.of(shortfall(eligible, portsPerCopy)));
      }
      best.freePorts -= portsPerCopy;
      best.used++;
      best.ofSet++;
      chosen.add(best.id);
    }
    return new Placement(chosen, Optional.empty());
  }

  /** Why no eligible node takes another copy: full, or out of ports. */
  private static String shortfall(List<Candidate> eligible, int portsPerCopy) {
    boolean anyRoom = eligible.stream().anyMatch(c -> c.used < c.capacity);
    if (!anyRoom) {
      return "every eligible node is full";
    }
    String few = portsPerCopy == 1 ? "no free port" : "fewer than " + portsPerCopy + " free ports";
    boolean anyFull = eligible.stream().anyMatch(c -> c.used >= c.capacity);
    return "every eligible node " + (anyFull ? "is full or " : "") + "has " + few + " left in its port range";
  }

  /** Mutable while one placement runs; never escapes it. */
  private static final class Candidate {
    final String id;
    final int capacity;
    int used;
    int ofSet;
    int freePorts;

    Candidate(String id, int capacity, int used, int ofSet, int freePorts) {
      this.id = id;
      this.capacity = capacity;
      this.used = used;
      this.ofSet = ofSet;
      this.freePorts = freePorts;
    }

    boolean fits(int portsPerCopy) {
      return used < capacity && freePorts >= portsPerCopy;
    }
  }

  /** Counts per node, for {@link #place}. */
  static Map<String, Integer> countByNode(Collection<String> nodeIds) {
    Map<String, Integer> counts = new HashMap<>();
    nodeIds.forEach(id -> counts.merge(id, 1, Integer::sum));
    return counts;
  }
}
