package io.shepherd.server.controller;

import io.shepherd.server.state.ClusterView;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** The reconcile loop's snapshots, read from the view with this server's {@link IngestTimes} and breaker. */
final class ViewSnapshots implements ReconcileLoop.Snapshots {
  private final ClusterView view;
  private final IngestTimes times;
  private final BreakerFollower breaker;

  ViewSnapshots(ClusterView view, IngestTimes times, BreakerFollower breaker) {
    this.view = view;
    this.times = times;
    this.breaker = breaker;
  }

  @Override
  public boolean caughtUp() {
    return view.isCaughtUp();
  }

  @Override
  public Collection<String> replicaSetNames() {
    return view.replicaSetNames();
  }

  @Override
  public ReplicaSetSnapshot snapshot(
      String name, Instant now, Map<String, Integer> loadChange, Map<String, Set<Integer>> portsTaken) {
    return Snapshots.of(view, name, times.recentlyGoneNodes(now), breaker.state().open(), times.readySince(),
        loadChange, portsTaken);
  }
}
