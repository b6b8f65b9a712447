package io.shepherd.worker.gateway;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One exposed port as a gateway sees it: the replica set behind it, the copies' port it forwards to, and the ready
 * copies now. The targets are replaced whole on every change of the set's instances. Thread-safe.
 */
final class Route implements Picker {
  private final String replicaSet;
  private final String targetPort;
  private final RoundRobin roundRobin = new RoundRobin();
  private volatile List<Target> targets = List.of();

  Route(String replicaSet, String targetPort) {
    this.replicaSet = replicaSet;
    this.targetPort = targetPort;
  }

  String replicaSet() {
    return replicaSet;
  }

  String targetPort() {
    return targetPort;
  }

  List<Target> targets() {
    return targets;
  }

  void targets(List<Target> now) {
    targets = List.copyOf(now);
  }

  @Override
  public Optional<Target> pick(Set<Target> tried) {
    List<Target> now = targets;
    return tried.isEmpty() ? roundRobin.first(now) : roundRobin.next(now, tried);
  }
}
