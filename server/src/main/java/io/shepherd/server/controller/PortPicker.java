package io.shepherd.server.controller;

import io.shepherd.worker.record.PortRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which ports a new copy gets: a pure function of its instance id, its spec's port names, its node's range and the
 * ports already held on that node. No clock, no randomness.
 *
 * <p>The scan starts at a position derived from the instance id (a stable hash, mod the range's size) and walks up,
 * wrapping around, taking the first free port for each name in turn. Copies spread over the range instead of piling
 * up at its start, and a replacement (a new instance id) after a failure starts somewhere else than the copy it
 * replaces; the failed copy's port is also still held by its dead assignment while the replacement is chosen.
 */
final class PortPicker {
  private PortPicker() {}

  /**
   * One port per name, in the names' order, none of them in {@code used}; empty when the range has too few free ports.
   */
  static Optional<Map<String, Integer>> pick(String instanceId, List<String> names, PortRange range, Set<Integer> used) {
    Map<String, Integer> picked = new LinkedHashMap<>();
    int size = range.size();
    int offset = Math.floorMod(spread(instanceId.hashCode()), size);
    int scanned = 0;
    for (String name : names) {
      Integer port = null;
      while (scanned < size && port == null) {
        int candidate = range.from() + (offset + scanned) % size;
        scanned++;
        if (!used.contains(candidate)) {
          port = candidate;
        }
      }
      if (port == null) {
        return Optional.empty();
      }
      picked.put(name, port);
    }
    return Optional.of(picked);
  }

  /** Mixes the bits of a hash (MurmurHash3's finalizer) so that ids differing in one character land far apart. */
  static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
