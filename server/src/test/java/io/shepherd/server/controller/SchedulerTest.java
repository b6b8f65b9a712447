package io.shepherd.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulerTest {
  private static final Map<String, String> ANY = Map.of();
  private static final Map<String, String> EU = Map.of("zone", "eu");

  /** A placement request, the nodes chosen in order, and why the rest (if any) fit nowhere. */
  record Row(
      String behaviour,
      int copies,
      Map<String, String> selector,
      List<NodeLoad> nodes,
      Map<String, Integer> copiesOfSet,
      List<String> chosen,
      Optional<String> shortfall) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Row> placement() {
    return Stream.of(
        new Row("ties are broken by the smallest node id",
            1, ANY, List.of(node("c", 10, 0), node("a", 10, 0), node("b", 10, 0)), Map.of(),
            List.of("a"), Optional.empty()),
        new Row("copies spread one per node before any node gets a second",
            4, ANY, List.of(node("a", 10, 0), node("b", 10, 0), node("c", 10, 0)), Map.of(),
            List.of("a", "b", "c", "a"), Optional.empty()),
        new Row("the node with fewest copies of this set wins over a less loaded node",
            1, ANY, List.of(node("a", 10, 1), node("b", 10, 5)), Map.of("a", 1),
            List.of("b"), Optional.empty()),
        new Row("between nodes with as many copies of this set, the less loaded wins",
            1, ANY, List.of(node("a", 10, 4), node("b", 10, 2)), Map.of(),
            List.of("b"), Optional.empty()),
        new Row("a full node gets nothing",
            2, ANY, List.of(node("a", 2, 2), node("b", 2, 0)), Map.of(),
            List.of("b", "b"), Optional.empty()),
        new Row("an overloaded node gets nothing",
            1, ANY, List.of(node("a", 2, 3), node("b", 2, 1)), Map.of(),
            List.of("b"), Optional.empty()),
        new Row("only nodes matching the selector get copies",
            2, EU, List.of(labelled("a", "us"), labelled("b", "eu"), labelled("c", "eu")), Map.of(),
            List.of("b", "c"), Optional.empty()),
        new Row("no copy asked for places nothing and reports nothing",
            0, ANY, List.of(), Map.of(),
            List.of(), Optional.empty()),
        new Row("with no live node nothing is placed, for that reason",
            2, ANY, List.of(), Map.of(),
            List.of(), Optional.of("no live node")),
        new Row("with no node matching the selector nothing is placed, for that reason",
            2, EU, List.of(labelled("a", "us"), node("b", 10, 0)), Map.of(),
            List.of(), Optional.of("no live node matches nodeSelector {zone=eu}")),
        new Row("what fits is placed and the rest is reported as full",
            3, ANY, List.of(node("a", 1, 0), node("b", 1, 1), node("c", 2, 1)), Map.of(),
            List.of("a", "c"), Optional.of("every eligible node is full")),
        new Row("nodes that match the selector but are full report full, not unmatched",
            1, EU, List.of(labelled("a", "us"), new NodeLoad("b", 1, 1, EU)), Map.of(),
            List.of(), Optional.of("every eligible node is full")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void placement(Row row) {
    Scheduler.Placement placement = Scheduler.place(row.copies(), row.selector(), row.nodes(), row.copiesOfSet());

    assertThat(placement.nodeIds()).as("nodes chosen").containsExactlyElementsOf(row.chosen());
    assertThat(placement.shortfallReason()).as("shortfall").isEqualTo(row.shortfall());
  }

  /** A copy given back by its agent goes to another node when one fits, and back to its own when none does. */
  record Avoiding(String behaviour, int copies, List<NodeLoad> nodes, Map<String, Integer> copiesOfSet,
      Set<String> avoid, List<String> chosen) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Avoiding> avoidingTheNodeAGivenBackCopyWasOn() {
    return Stream.of(
        new Avoiding("a copy given back on a node goes to another that fits, even one holding more of the set",
            1, List.of(node("a", 10, 0), node("b", 10, 3)), Map.of("b", 1), Set.of("a"), List.of("b")),
        new Avoiding("with no other node that fits, the copy goes back to the node it was given back on",
            2, List.of(node("a", 10, 0), node("b", 1, 0)), Map.of(), Set.of("a"), List.of("b", "a")),
        new Avoiding("with no other eligible node at all, it goes back to its node",
            1, List.of(node("a", 10, 0)), Map.of(), Set.of("a"), List.of("a")),
        new Avoiding("nothing to avoid: the usual preference",
            1, List.of(node("a", 10, 0), node("b", 10, 0)), Map.of(), Set.of(), List.of("a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void avoidingTheNodeAGivenBackCopyWasOn(Avoiding row) {
    assertThat(Scheduler.place(row.copies(), ANY, 0, row.nodes(), row.copiesOfSet(), row.avoid()).nodeIds())
        .isEqualTo(row.chosen());
  }

  @Test
  void theSameInputGivesTheSameAnswerWhateverTheOrderOfTheNodes() {
    List<NodeLoad> nodes = new ArrayList<>(List.of(
        node("n1", 4, 1), node("n2", 4, 0), node("n3", 4, 1), node("n4", 4, 0), node("n5", 1, 0)));
    Map<String, Integer> ofSet = Map.of("n2", 1);
    List<String> first = Scheduler.place(6, ANY, nodes, ofSet).nodeIds();

    Random shuffle = new Random(42);
    for (int i = 0; i < 20; i++) {
      Collections.shuffle(nodes, shuffle);
      assertThat(Scheduler.place(6, ANY, nodes, ofSet).nodeIds()).as("order %s", nodes).isEqualTo(first);
    }
    assertThat(first).containsExactly("n4", "n5", "n1", "n3", "n2", "n4");
  }

  @Test
  void countByNodeCountsEachOccurrence() {
    assertThat(Scheduler.countByNode(List.of("a", "b", "a"))).isEqualTo(Map.of("a", 2, "b", 1));
  }

  private static NodeLoad node(String id, int capacity, int used) {
    return new NodeLoad(id, capacity, used, Map.of());
  }

  private static NodeLoad labelled(String id, String zone) {
    return new NodeLoad(id, 10, 0, Map.of("zone", zone));
  }
}
