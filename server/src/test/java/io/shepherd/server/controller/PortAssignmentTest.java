package io.shepherd.server.controller;

import static io.shepherd.server.controller.ReplicaSetFixture.NOW;
import static io.shepherd.server.controller.ReplicaSetFixture.replicaSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ports the leader gives new copies, through the whole pure decision ({@link Reconciler}, {@link Scheduler},
 * {@link PortPicker}), from hand-built snapshots. New copies are named web-new-0, web-new-1... in order.
 */
class PortAssignmentTest {
  private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HOUR = Duration.ofHours(1);

  /** A snapshot, and what must hold of the plan decided from it. */
  record Row(String behaviour, ReplicaSetFixture given, Consumer<Plan> then) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Row> decisions() {
    return Stream.of(
        new Row("the first copy gets one port from its node's range",
            replicaSet(1).ports("http").nodeWithPorts("n1", 10, 20_000, 20_009),
            plan -> {
              assertThat(plan.starts()).singleElement().satisfies(s -> {
                assertThat(s.ports().keySet()).containsExactly("http");
                assertThat(s.ports().get("http")).isBetween(20_000, 20_009);
              });
              assertThat(plan.unschedulable()).isEmpty();
            }),
        new Row("copies on one node never share a port",
            replicaSet(3).ports("http").nodeWithPorts("n1", 10, 20_000, 20_002),
            plan -> assertThat(ports(plan, "http")).containsExactlyInAnyOrder(20_000, 20_001, 20_002)),
        new Row("a new copy avoids the ports of this set's running and pending copies",
            replicaSet(3).ports("http").nodeWithPorts("n1", 10, 20_000, 20_002)
                .running("web-a", "n1", HOUR).withPorts("web-a", Map.of("http", 20_000))
                .pending("web-b", "n1", Duration.ofSeconds(1)).withPorts("web-b", Map.of("http", 20_002)),
            plan -> assertThat(ports(plan, "http")).containsExactly(20_001)),
        new Row("ports of other sets on the same node are avoided",
            replicaSet(1).ports("http").nodeWithPorts("n1", 10, 20_000, 20_009)
                .portsHeldByOtherSets("n1", 20_000, 20_001, 20_002, 20_003, 20_004, 20_006, 20_007, 20_008, 20_009),
            plan -> assertThat(ports(plan, "http")).containsExactly(20_005)),
        new Row("two port names get two different ports, in the spec's order",
            replicaSet(2).ports("http", "admin").nodeWithPorts("n1", 10, 20_000, 20_003),
            plan -> {
              assertThat(plan.starts()).hasSize(2)
                  .allSatisfy(s -> assertThat(s.ports().keySet()).containsExactly("http", "admin"));
              assertThat(ports(plan, "http", "admin")).containsExactlyInAnyOrder(20_000, 20_001, 20_002, 20_003);
            }),
        new Row("the replacement of a copy that failed does not get the failed copy's port",
            replicaSet(1).ports("http").nodeWithPorts("n1", 10, 20_000, 20_001)
                .failedToStart("web-old", "n1").withPorts("web-old", Map.of("http", 20_000)),
            plan -> {
              assertThat(plan.cleanUp()).extracting(a -> a.instanceId()).containsExactly("web-old");
              assertThat(ports(plan, "http")).containsExactly(20_001);
            }),
        new Row("an exhausted range does not fit, and the status says why",
            replicaSet(1).ports("http").nodeWithPorts("n1", 10, 20_000, 20_001)
                .portsHeldByOtherSets("n1", 20_000, 20_001),
            plan -> {
              assertThat(plan.starts()).isEmpty();
              assertThat(plan.unschedulable()).contains(
                  new Plan.Unschedulable(1, "every eligible node has no free port left in its port range"));
            }),
        new Row("a copy that needs two ports does not fit where only one is free",
            replicaSet(1).ports("http", "admin").nodeWithPorts("n1", 10, 20_000, 20_001)
                .portsHeldByOtherSets("n1", 20_001),
            plan -> assertThat(plan.unschedulable()).contains(
                new Plan.Unschedulable(1, "every eligible node has fewer than 2 free ports left in its port range"))),
        new Row("a node whose range is exhausted is skipped for one that has room",
            replicaSet(2).ports("http").nodeWithPorts("a", 10, 20_000, 20_000).nodeWithPorts("b", 10, 20_000, 20_009)
                .portsHeldByOtherSets("a", 20_000),
            plan -> assertThat(plan.startOn()).containsExactly("b", "b")),
        new Row("copies beyond the free ports are unschedulable, the rest are placed",
            replicaSet(3).ports("http").nodeWithPorts("n1", 10, 20_000, 20_001),
            plan -> {
              assertThat(ports(plan, "http")).containsExactlyInAnyOrder(20_000, 20_001);
              assertThat(plan.unschedulable()).contains(
                  new Plan.Unschedulable(1, "every eligible node has no free port left in its port range"));
            }),
        new Row("a node that publishes no range (an older agent) takes no copy that needs a port",
            replicaSet(1).ports("http").node("old", 10),
            plan -> {
              assertThat(plan.starts()).isEmpty();
              assertThat(plan.unschedulable()).hasValueSatisfying(u -> assertThat(u.reason()).contains("port range"));
            }),
        new Row("a set without ports gets none, even on a node without a range",
            replicaSet(2).node("old", 10),
            plan -> assertThat(plan.starts()).hasSize(2).allSatisfy(s -> assertThat(s.ports()).isEmpty())),
        new Row("a full node with free ports is reported full",
            replicaSet(2).ports("http").nodeWithPorts("n1", 1, 20_000, 20_009).running("web-a", "n1", HOUR)
                .withPorts("web-a", Map.of("http", 20_000)),
            plan -> assertThat(plan.unschedulable()).contains(new Plan.Unschedulable(1, "every eligible node is full"))),
        new Row("full nodes and nodes out of ports are both named",
            replicaSet(3).ports("http").nodeWithPorts("a", 1, 20_000, 20_009).nodeWithPorts("b", 10, 20_000, 20_000)
                .running("web-a", "a", HOUR).withPorts("web-a", Map.of("http", 20_000)),
            plan -> {
              assertThat(plan.startOn()).containsExactly("b");
              assertThat(plan.unschedulable()).contains(new Plan.Unschedulable(1,
                  "every eligible node is full or has no free port left in its port range"));
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void portsOfNewCopies(Row row) {
    row.then().accept(reconciler().reconcile(row.given().build(), NOW));
  }

  @Test
  void theDecisionIsAFunctionOfTheSnapshotAndTheIds() {
    ReplicaSetSnapshot given = replicaSet(5).ports("http", "admin").nodeWithPorts("n1", 10, 20_000, 29_999)
        .nodeWithPorts("n2", 10, 20_000, 29_999).build();

    Plan first = reconciler().reconcile(given, NOW);
    Plan again = reconciler().reconcile(given, NOW);

    assertThat(again.starts()).isEqualTo(first.starts());
    assertThat(first.starts()).extracting(Plan.Start::instanceId)
        .containsExactly("web-new-0", "web-new-1", "web-new-2", "web-new-3", "web-new-4");
  }

  @Test
  void aReplacementWithANewIdStartsItsScanElsewhere() {
    // With a wide range and nothing else held, only the id decides where the scan starts.
    ReplicaSetSnapshot failed = replicaSet(1).ports("http").nodeWithPorts("n1", 10, 20_000, 29_999)
        .build();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      Plan plan = new Reconciler(LAUNCH_TIMEOUT, name -> name + "-attempt-" + n).reconcile(failed, NOW);
      seen.add(plan.starts().get(0).ports().get("http"));
    }

    assertThat(seen).as("twenty successive replacements, twenty ports").hasSize(20);
  }

  private static Reconciler reconciler() {
    AtomicInteger next = new AtomicInteger();
    return new Reconciler(LAUNCH_TIMEOUT, name -> name + "-new-" + next.getAndIncrement());
  }

  private static List<Integer> ports(Plan plan, String... names) {
    List<Integer> ports = new ArrayList<>();
    for (Plan.Start s : plan.starts()) {
      for (String name : names) {
        ports.add(Optional.ofNullable(s.ports().get(name)).orElseThrow());
      }
    }
    return ports;
  }
}
