package io.shepherd.worker.gateway;

import io.shepherd.worker.record.PortRange;
import java.util.Optional;

/** Whether an agent's gateway may listen on an exposed port. Pure. */
final class PortPolicy {
  private PortPolicy() {}

  /** Why {@code port} is not bound, or empty if it may be. */
  static Optional<String> refusal(int port, boolean allowPrivileged) {
    if (port < 1 || port > 65_535) {
      return Optional.of("port " + port + " is not a TCP port");
    }
    if (port < PortRange.LOWEST_UNPRIVILEGED && !allowPrivileged) {
      return Optional.of("port " + port + " is privileged (below " + PortRange.LOWEST_UNPRIVILEGED
          + "); set agent.gateway.allowPrivileged to let this agent bind it");
    }
    return Optional.empty();
  }
}
