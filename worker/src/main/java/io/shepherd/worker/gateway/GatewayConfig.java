package io.shepherd.worker.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * The agent's gateway: where it listens for the ports replica sets expose, and how a copy it stops is drained.
 *
 * @param enabled                whether this agent runs a gateway at all
 * @param bindHost               the address the exposed ports are bound on (loopback by default)
 * @param allowPrivilegedPorts   whether ports below 1024 may be bound; without it such a port is refused, and the
 *                               agent's log says so
 * @param connectTimeout         how long one connection attempt to a copy may take before the next copy is tried
 * @param maxTries               how many copies one client connection tries before it is closed
 * @param drainDelay             how long a ready copy being stopped is left running after its unready flag is written,
 *                               before its SIGTERM, so that every gateway has seen it (endpoint propagation)
 */
public record GatewayConfig(
    boolean enabled,
    String bindHost,
    boolean allowPrivilegedPorts,
    Duration connectTimeout,
    int maxTries,
    Duration drainDelay) {

  public static final String DEFAULT_BIND_HOST = "127.0.0.1";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  public static final int DEFAULT_MAX_TRIES = 3;
  public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofMillis(500);
  /**
   * On loopback, privileged ports refused, a 3 s connect timeout (longer than the 1 s after which a SYN lost to a
   * full backlog is sent again), 3 tries, a 500 ms drain delay.
   */
  public static final GatewayConfig DEFAULT = new GatewayConfig(true, DEFAULT_BIND_HOST, false,
      DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_TRIES, DEFAULT_DRAIN_DELAY);

  public GatewayConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(drainDelay, "drainDelay");
    if (bindHost.isBlank()) {
      throw new IllegalArgumentException("gateway bindHost is empty");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("gateway connectTimeout must be positive: " + connectTimeout);
    }
    if (maxTries < 1) {
      throw new IllegalArgumentException("gateway maxTries must be at least 1: " + maxTries);
    }
    if (drainDelay.isNegative()) {
      throw new IllegalArgumentException("gateway drainDelay must not be negative: " + drainDelay);
    }
  }

  /** This configuration with another drain delay. */
  public GatewayConfig withDrainDelay(Duration value) {
    return new GatewayConfig(enabled, bindHost, allowPrivilegedPorts, connectTimeout, maxTries, value);
  }

  /** This configuration listening on {@code host}. */
  public GatewayConfig withBindHost(String host) {
    return new GatewayConfig(enabled, host, allowPrivilegedPorts, connectTimeout, maxTries, drainDelay);
  }
}
