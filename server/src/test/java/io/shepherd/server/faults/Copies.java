package io.shepherd.server.faults;

import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.Node;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Processes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The copies of a fault scenario: real {@code sleep} processes whose argument marks the test they belong to. */
final class Copies {
  /** Generous: two cores are shared with other suites, and a session must expire before some things happen. */
  static final Duration PATIENCE = Duration.ofSeconds(45);
  /** The ZooKeeper session timeout of the servers (test-server.yml) and of the agents ({@code TestAgent}). */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);

  private Copies() {}

  /** {@code sleep marker}, stopped with SIGTERM and a short grace. */
  static ReplicaSetSpec sleeping(int replicas, String marker) {
    return ReplicaSetSpec.of(replicas, List.of("sleep", marker)).withStopGraceMs(1_000);
  }

  /** Waits until some server leads and {@code api}'s server sees exactly these nodes. */
  static void awaitNodes(Api api, String... nodeIds) {
    await().atMost(PATIENCE).until(() -> api.leader().leader().isPresent()
        && api.nodes().stream().map(Node::id).collect(Collectors.toSet()).equals(Set.of(nodeIds)));
  }

  /** Waits until the replica set has exactly {@code count} live copies whose processes are alive; returns them. */
  static List<Instance> awaitRunning(Api api, String name, int count) throws Exception {
    await().atMost(PATIENCE).until(() -> {
      List<Instance> live = api.instances(name);
      return live.size() == count && Processes.allAlive(live);
    });
    return api.instances(name);
  }

  static Set<String> ids(Collection<Instance> instances) {
    return instances.stream().map(Instance::id).collect(Collectors.toSet());
  }

  static Map<String, Long> pidsById(Collection<Instance> instances) {
    return instances.stream().collect(Collectors.toMap(Instance::id, Instance::pid));
  }

  static List<Long> pids(Collection<Instance> instances) {
    return instances.stream().map(Instance::pid).toList();
  }

  static List<Instance> on(String node, Collection<Instance> instances) {
    return instances.stream().filter(i -> i.node().equals(node)).toList();
  }

  /** Deletes the replica set and waits until it and every process of the marker are gone. */
  static void deleteAndAwaitGone(Api api, String name, String marker) throws Exception {
    api.delete(name);
    await().atMost(PATIENCE).until(() -> api.get(name).isEmpty() && Processes.withMarker(marker).isEmpty());
  }
}
