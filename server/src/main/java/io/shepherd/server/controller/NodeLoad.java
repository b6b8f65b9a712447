package io.shepherd.server.controller;

import java.util.Map;

/**
 * A live node as the scheduler sees it.
 *
 * @param id       the node id
 * @param capacity how many copies it may run
 * @param used     how many assignments of every replica set it holds now
 * @param labels   its labels, for node selectors
 */
public record NodeLoad(String id, int capacity, int used, Map<String, String> labels) {
  public NodeLoad {
    labels = Map.copyOf(labels);
  }

  boolean matches(Map<String, String> selector) {
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
