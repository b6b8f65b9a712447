package io.shepherd.server.controller;

import java.time.Duration;

/**
 * What the controller reports of its own work, for metrics. Called on the reconcile thread, only while this server
 * leads: be quick, never block, never throw.
 */
public interface ControllerObserver {
  /** Reports nothing. */
  ControllerObserver NONE = new ControllerObserver() {
    @Override
    public void reconciled(int replicaSets, Duration took) {}

    @Override
    public void replacing(String replicaSet, int copies) {}
  };

  /** One batch of {@code replicaSets} was decided and its plans committed (or failed) in {@code took}. */
  void reconciled(int replicaSets, Duration took);

  /**
   * The leader deleted {@code copies} dead assignments of a replica set that still wants copies (given back by their
   * agents, or lost with their node): each is replaced by a new copy, now or after the set's backoff.
   */
  void replacing(String replicaSet, int copies);
}
