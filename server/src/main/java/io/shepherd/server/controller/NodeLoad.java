package io.shepherd.server.controller;

import io.shepherd.worker.record.PortRange;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A live node as the scheduler sees it.
 *
 * @param id        the node id
 * @param capacity  how many copies it may run
 * @param used      how many assignments of every replica set it holds now
 * @param labels    its labels, for node selectors
 * @param ports     the range its copies' ports are picked from; empty for an agent that publishes none
 * @param usedPorts the ports its assignments hold now (live, pending or dead), of every replica set; filled only when
 *                  the replica set being decided names ports
 */
public record NodeLoad(
    String id, int capacity, int used, Map<String, String> labels, Optional<PortRange> ports, Set<Integer> usedPorts) {
  public NodeLoad {
    labels = Map.copyOf(labels);
    ports = ports == null ? Optional.empty() : ports;
    usedPorts = usedPorts == null ? Set.of() : Set.copyOf(usedPorts);
  }

  /** A node without ports, for decisions about replica sets that name none. */
  public NodeLoad(String id, int capacity, int used, Map<String, String> labels) {
    this(id, capacity, used, labels, Optional.empty(), Set.of());
  }

  boolean matches(Map<String, String> selector) {
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** How many ports of its range no assignment holds. */
  int freePorts() {
    return ports.map(r -> r.size() - (int) usedPorts.stream().filter(r::contains).count()).orElse(0);
  }

  /** This node with {@code changedUsed} assignments and {@code morePorts} more ports held. */
  NodeLoad with(int changedUsed, Set<Integer> morePorts) {
    if (morePorts.isEmpty()) {
      return new NodeLoad(id, capacity, changedUsed, labels, ports, usedPorts);
    }
    Set<Integer> all = new java.util.HashSet<>(usedPorts);
    all.addAll(morePorts);
    return new NodeLoad(id, capacity, changedUsed, labels, ports, all);
  }
}
