package io.shepherd.worker.agent;

import java.util.Objects;

/**
 * Where the agent's log server listens.
 *
 * @param bindHost the address to bind; loopback by default, so that logs are not exposed by accident
 * @param port     the TCP port; 0 for an ephemeral port (the chosen one goes into the node's {@code logsUrl})
 */
public record LogServerConfig(String bindHost, int port) {
  public static final String DEFAULT_BIND_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7071;

  public LogServerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    if (bindHost.isBlank()) {
      throw new IllegalArgumentException("bindHost is empty");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535: " + port);
    }
  }

  /** Loopback, on an ephemeral port. */
  public static LogServerConfig loopbackEphemeral() {
    return new LogServerConfig(DEFAULT_BIND_HOST, 0);
  }
}
