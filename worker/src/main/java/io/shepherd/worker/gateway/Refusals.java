package io.shepherd.worker.gateway;

import io.shepherd.worker.record.ExposedRecord;
import io.shepherd.worker.record.RefusedPort;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which exposed ports an agent publishes as not served, and why. Pure. */
final class Refusals {
  private Refusals() {}

  /**
   * The ports of {@code wanted} that are not listened on and have a reason why not, by port; a port whose bind has
   * not been tried yet (no reason) is left out, as is one that is listened on whatever reason was last noted.
   *
   * @param wanted    the exposed ports and the set behind each
   * @param listening the ports listened on now
   * @param whyNot    the last reason noted for each port not listened on
   */
  static List<RefusedPort> of(Map<Integer, ExposedRecord> wanted, Set<Integer> listening, Map<Integer, String> whyNot) {
    return wanted.entrySet().stream()
        .filter(e -> !listening.contains(e.getKey()) && whyNot.containsKey(e.getKey()))
        .map(e -> new RefusedPort(e.getKey(), e.getValue().replicaSet(), whyNot.get(e.getKey())))
        .sorted(Comparator.comparingInt(RefusedPort::port))
        .toList();
  }
}
