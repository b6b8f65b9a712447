package io.shepherd.server.controller;

import java.time.Duration;

/**
 * How the controller behaves.
 *
 * @param serverId       this server's id in the leader election (shown by {@code GET /leader})
 * @param resyncInterval how often every replica set is reconciled even without events (level-triggered safety net)
 * @param launchTimeout  how long an assigned copy may take to register before it is given up and replaced
 * @param massLoss       when the mass-loss breaker holds rescheduling back
 */
public record ControllerSettings(
    String serverId, Duration resyncInterval, Duration launchTimeout, BreakerSettings massLoss) {

  public ControllerSettings(String serverId, Duration resyncInterval, Duration launchTimeout) {
    this(serverId, resyncInterval, launchTimeout, BreakerSettings.DEFAULT);
  }
}
