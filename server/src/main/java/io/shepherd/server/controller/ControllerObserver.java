package io.shepherd.server.controller;

import java.time.Duration;

/**
 * What the controller reports of its own work, for metrics. Called on the reconcile thread while this server leads
 * ({@link #replaced} on the ingest's thread): be quick, never block, never throw.
 */
public interface ControllerObserver {
  /** Reports nothing. */
  ControllerObserver NONE = new ControllerObserver() {
    @Override
    public void reconciled(int replicaSets, Duration took) {}

    @Override
    public void replacing(String replicaSet, int copies) {}

    @Override
    public void replaced(String replicaSet, Duration took) {}
  };

  /** One batch of {@code replicaSets} was decided and its plans committed (or failed) in {@code took}. */
  void reconciled(int replicaSets, Duration took);

  /**
   * The leader deleted {@code copies} dead assignments of a replica set that still wants copies (given back by their
   * agents, or lost with their node): each is replaced by a new copy, now or after the set's backoff.
   */
  void replacing(String replicaSet, int copies);

  /**
   * The view shows registered a copy this server started, as leader, to replace a dead one, {@code took} after the
   * view learned that the dead copy was dead (this server's clock, both times; see {@link ReplacementLedger}).
   */
  void replaced(String replicaSet, Duration took);
}
