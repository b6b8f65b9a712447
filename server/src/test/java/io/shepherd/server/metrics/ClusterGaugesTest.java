package io.shepherd.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.RolloutState;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ClusterGaugesTest {
  private static final ReplicaSetSummary WEB = new ReplicaSetSummary("web", 3, 3, 2, 1, 1, false, 0);
  private static final ReplicaSetSummary DB = new ReplicaSetSummary("db", 1, 1, 1, 0, 1, false, 0);
  private static final ReplicaSetSummary GOING = new ReplicaSetSummary("going", 7, 0, 1, 0, 0, true, 0);

  private static ClusterGauges.Reading reading(List<ReplicaSetSummary> sets) {
    return new ClusterGauges.Reading(sets, false, 0, 0, false, true);
  }

  private static GaugeSnapshot gauge(MetricSnapshots snapshots, String name) {
    for (MetricSnapshot s : snapshots) {
      if (s.getMetadata().getName().equals(name)) {
        return (GaugeSnapshot) s;
      }
    }
    throw new AssertionError("no gauge " + name);
  }

  /** replicaset label -> value, in the order the gauge lists them. */
  private static Map<String, Double> bySet(GaugeSnapshot g) {
    Map<String, Double> out = new LinkedHashMap<>();
    g.getDataPoints().forEach(p -> out.put(p.getLabels().get("replicaset"), p.getValue()));
    return out;
  }

  private static double value(MetricSnapshots snapshots, String name) {
    GaugeSnapshot g = gauge(snapshots, name);
    assertThat(g.getDataPoints()).hasSize(1);
    return g.getDataPoints().get(0).getValue();
  }

  static Stream<Arguments> perSetCounts() {
    return Stream.of(
        Arguments.of("desired is what the set asks for", "shepherd_replicaset_desired", Map.of("db", 1.0, "web", 3.0)),
        Arguments.of("live counts registered copies", "shepherd_replicaset_live", Map.of("db", 1.0, "web", 2.0)),
        Arguments.of("ready counts live copies ready for clients", "shepherd_replicaset_ready",
            Map.of("db", 1.0, "web", 1.0)),
        Arguments.of("pending counts copies on their way", "shepherd_replicaset_pending",
            Map.of("db", 0.0, "web", 1.0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("perSetCounts")
  void eachReplicaSetHasItsCountsFromTheReading(String behaviour, String name, Map<String, Double> expected) {
    assertThat(bySet(gauge(ClusterGauges.of(reading(List.of(WEB, DB))), name))).isEqualTo(expected);
  }

  @Test
  void eachReplicaSetReportsItsRevision() {
    ReplicaSetSummary rolled = new ReplicaSetSummary("web", 3, 3, 3, 0, 3, false, 0, 4,
        Optional.of(RolloutState.COMPLETE));
    assertThat(bySet(gauge(ClusterGauges.of(reading(List.of(rolled, DB))), "shepherd_replicaset_revision")))
        .isEqualTo(Map.of("db", 0.0, "web", 4.0));
  }

  @Test
  void aRolloutHasOneSeriesPerStateAndOnlyItsOwnStateIsOne() {
    ReplicaSetSummary failing = new ReplicaSetSummary("web", 3, 3, 3, 0, 3, false, 0, 2,
        Optional.of(RolloutState.FAILED));
    GaugeSnapshot g = gauge(ClusterGauges.of(reading(List.of(failing, DB))), "shepherd_rollout_state");
    Map<String, Double> byState = new LinkedHashMap<>();
    g.getDataPoints().forEach(p -> {
      assertThat(p.getLabels().get("replicaset")).as("a set the leader has not looked at has no series")
          .isEqualTo("web");
      byState.put(p.getLabels().get("state"), p.getValue());
    });
    assertThat(byState).isEqualTo(Map.of("PROGRESSING", 0.0, "PAUSED", 0.0, "COMPLETE", 0.0, "FAILED", 1.0,
        "REVERTED", 0.0));
  }

  @Test
  void replicaSetsAreListedByName() {
    assertThat(bySet(gauge(ClusterGauges.of(reading(List.of(WEB, DB))), "shepherd_replicaset_live")).keySet())
        .containsExactly("db", "web");
  }

  @Test
  void aSetBeingDeletedAsksForNoneWhileItsLastCopiesRun() {
    MetricSnapshots s = ClusterGauges.of(reading(List.of(GOING)));
    assertThat(bySet(gauge(s, "shepherd_replicaset_desired"))).isEqualTo(Map.of("going", 0.0));
    assertThat(bySet(gauge(s, "shepherd_replicaset_live"))).isEqualTo(Map.of("going", 1.0));
  }

  @Test
  void aSetGoneFromTheViewIsGoneFromTheGauges() {
    assertThat(bySet(gauge(ClusterGauges.of(reading(List.of(WEB, DB))), "shepherd_replicaset_ready")))
        .containsKey("db");

    MetricSnapshots after = ClusterGauges.of(reading(List.of(WEB)));

    for (String name : List.of("shepherd_replicaset_desired", "shepherd_replicaset_live",
        "shepherd_replicaset_ready", "shepherd_replicaset_pending")) {
      assertThat(bySet(gauge(after, name))).as(name).containsOnlyKeys("web");
    }
  }

  @Test
  void noReplicaSetsLeavesThePerSetGaugesEmpty() {
    assertThat(gauge(ClusterGauges.of(reading(List.of())), "shepherd_replicaset_desired").getDataPoints()).isEmpty();
  }

  @Test
  void theControllerGaugesSayWhetherThisServerLeadsAndTheEpoch() {
    MetricSnapshots leader = ClusterGauges.of(new ClusterGauges.Reading(List.of(), true, 7, 3, false, true));
    MetricSnapshots standby = ClusterGauges.of(new ClusterGauges.Reading(List.of(), false, 7, 3, false, true));
    assertThat(value(leader, "shepherd_controller_leader")).isEqualTo(1.0);
    assertThat(value(standby, "shepherd_controller_leader")).isEqualTo(0.0);
    assertThat(value(leader, "shepherd_controller_epoch")).isEqualTo(7.0);
  }

  @Test
  void nodesBreakerAndConnectionComeFromTheReading() {
    MetricSnapshots healthy = ClusterGauges.of(new ClusterGauges.Reading(List.of(), false, 1, 4, false, true));
    MetricSnapshots troubled = ClusterGauges.of(new ClusterGauges.Reading(List.of(), false, 1, 1, true, false));
    assertThat(value(healthy, "shepherd_nodes")).isEqualTo(4.0);
    assertThat(value(troubled, "shepherd_nodes")).isEqualTo(1.0);
    assertThat(value(healthy, "shepherd_breaker_open")).isEqualTo(0.0);
    assertThat(value(troubled, "shepherd_breaker_open")).isEqualTo(1.0);
    assertThat(value(healthy, "shepherd_zookeeper_connected")).isEqualTo(1.0);
    assertThat(value(troubled, "shepherd_zookeeper_connected")).isEqualTo(0.0);
  }
}
