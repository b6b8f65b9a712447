package io.shepherd.server.controller;

import java.time.Duration;

/**
 * When the mass-loss breaker opens: more than {@code maxLossFraction} of the nodes seen within {@code window} are
 * gone, and there were at least {@code minNodes} (with fewer, a loss is indistinguishable from real deaths).
 */
public record BreakerSettings(double maxLossFraction, Duration window, int minNodes) {
  public static final BreakerSettings DEFAULT = new BreakerSettings(0.5, Duration.ofSeconds(30), 3);

  public BreakerSettings {
    if (window.isNegative()) {
      throw new IllegalArgumentException("window: must not be negative, got " + window);
    }
  }
}
