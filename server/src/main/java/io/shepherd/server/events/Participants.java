package io.shepherd.server.events;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The leader latch's participants as the event stream has seen them, change by change: who leads is the owner of
 * the lowest latch sequence number (as {@code ClusterView.leaderId()} computes it), known at each change's place in
 * ZooKeeper's order rather than whenever the cache catches up. Not thread-safe: the feed guards it.
 */
final class Participants {
  private final Map<String, String> serverIdByZnode = new HashMap<>();

  void put(String znode, String serverId) {
    serverIdByZnode.put(znode, serverId);
  }

  void remove(String znode) {
    serverIdByZnode.remove(znode);
  }

  void replaceAll(Map<String, String> serverIdByZnode) {
    this.serverIdByZnode.clear();
    this.serverIdByZnode.putAll(serverIdByZnode);
  }

  Optional<String> leader() {
    return serverIdByZnode.entrySet().stream()
        .min(Map.Entry.comparingByKey((a, b) -> Long.compare(sequence(a), sequence(b))))
        .map(Map.Entry::getValue);
  }

  private static long sequence(String latchNode) {
    try {
      return Long.parseLong(latchNode.substring(latchNode.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
