package io.shepherd.server.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.RolloutState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The server's gauges, computed from one reading of its view when Prometheus scrapes: a pure function, so a replica
 * set that is gone from the view is gone from the next scrape, and a reading is never older than the scrape.
 */
public final class ClusterGauges {
  /**
   * What the gauges are made of.
   *
   * @param replicaSets         every replica set this server's view holds, with the counts the API reports (the
   *                            reconciler's own classification)
   * @param leader              whether this server is the leader
   * @param epoch               the controller epoch this server last saw in ZooKeeper
   * @param nodes               live agents
   * @param breakerOpen         whether the stored mass-loss breaker is open
   * @param zooKeeperConnected  whether this server is connected to ZooKeeper now
   */
  public record Reading(List<ReplicaSetSummary> replicaSets, boolean leader, long epoch, int nodes,
      boolean breakerOpen, boolean zooKeeperConnected) {
    public Reading {
      replicaSets = List.copyOf(replicaSets);
    }
  }

  private ClusterGauges() {}

  public static MetricSnapshots of(Reading r) {
    List<ReplicaSetSummary> sets = new ArrayList<>(r.replicaSets());
    sets.sort(Comparator.comparing(ReplicaSetSummary::name));
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(perSet("shepherd_replicaset_desired", "Copies a replica set asks for (0 once it is being deleted)",
        sets, ReplicaSetSummary::desired));
    out.add(perSet("shepherd_replicaset_live", "Copies of a replica set that run: registered and still assigned",
        sets, ReplicaSetSummary::live));
    out.add(perSet("shepherd_replicaset_ready", "Live copies of a replica set that are ready for clients",
        sets, ReplicaSetSummary::ready));
    out.add(perSet("shepherd_replicaset_pending",
        "Copies of a replica set on their way: assigned and not yet registered, or waiting out a restart backoff",
        sets, ReplicaSetSummary::pending));
    out.add(perSet("shepherd_replicaset_revision", "The revision of its template a replica set's copies should run "
        + "(0 before the leader has looked at it)", sets, ReplicaSetSummary::revision));
    out.add(rolloutStates(sets));
    out.add(single("shepherd_controller_leader", "1 if this server is the leader, else 0", r.leader() ? 1 : 0));
    out.add(single("shepherd_controller_epoch", "The controller epoch this server last saw: it rises with each "
        + "new leader", r.epoch()));
    out.add(single("shepherd_nodes", "Live agents (registered nodes)", r.nodes()));
    out.add(single("shepherd_breaker_open", "1 while the mass-loss breaker holds rescheduling, else 0",
        r.breakerOpen() ? 1 : 0));
    out.add(single("shepherd_zookeeper_connected", "1 while this server is connected to ZooKeeper, else 0",
        r.zooKeeperConnected() ? 1 : 0));
    return new MetricSnapshots(out);
  }

  private static GaugeSnapshot perSet(String name, String help, List<ReplicaSetSummary> sets,
      ToIntFunction<ReplicaSetSummary> count) {
    GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
    for (ReplicaSetSummary s : sets) {
      gauge.dataPoint(GaugeDataPointSnapshot.builder()
          .labels(Labels.of("replicaset", s.name()))
          .value(count.applyAsInt(s))
          .build());
    }
    return gauge.build();
  }

  /**
   * One series per replica set and rollout state, 1 for the state its rollout is in and 0 for the others (as
   * kube-state-metrics reports phases), so {@code shepherd_rollout_state{state="FAILED"} == 1} selects failed
   * rollouts. A set whose rollout the leader has not written yet has no series.
   */
  private static GaugeSnapshot rolloutStates(List<ReplicaSetSummary> sets) {
    GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("shepherd_rollout_state")
        .help("1 for the state a replica set's rollout is in (PROGRESSING, PAUSED, COMPLETE, FAILED, REVERTED), "
            + "0 for the others");
    for (ReplicaSetSummary s : sets) {
      s.rolloutState().ifPresent(current -> {
        for (RolloutState state : RolloutState.values()) {
          gauge.dataPoint(GaugeDataPointSnapshot.builder()
              .labels(Labels.of("replicaset", s.name(), "state", state.name()))
              .value(state == current ? 1 : 0)
              .build());
        }
      });
    }
    return gauge.build();
  }

  private static GaugeSnapshot single(String name, String help, double value) {
    return GaugeSnapshot.builder().name(name).help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }
}
