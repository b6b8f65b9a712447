package io.shepherd.worker.gateway;

import io.shepherd.worker.record.InstanceRecord;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Which copies of an exposed replica set a gateway may send connections to. Pure. */
final class Targets {
  private Targets() {}

  /**
   * The ready instances that have a port named {@code targetPort}, ordered by instance id (so every gateway walks
   * them in the same order). Instances of another replica set are left out.
   */
  static List<Target> of(String replicaSet, String targetPort, Collection<InstanceRecord> instances) {
    return instances.stream()
        .filter(i -> replicaSet.equals(i.replicaSet()))
        .filter(InstanceRecord::ready)
        .filter(i -> i.ports().containsKey(targetPort))
        .map(i -> new Target(i.id(), i.host(), i.ports().get(targetPort)))
        .sorted(Comparator.comparing(Target::instanceId))
        .toList();
  }
}
