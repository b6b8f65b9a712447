package io.shepherd.server.health;

import com.codahale.metrics.health.HealthCheck;
import io.shepherd.server.controller.Controller;

/** Healthy once the controller's cache is initialized and some server leads; says whether this one does. */
public final class ControllerHealthCheck extends HealthCheck {
  private final Controller controller;

  public ControllerHealthCheck(Controller controller) {
    this.controller = controller;
  }

  @Override
  protected Result check() {
    if (!controller.view().isInitialized()) {
      return Result.unhealthy("the controller's cache is not initialized yet");
    }
    if (controller.view().leaderId().isEmpty()) {
      return Result.unhealthy("no server leads");
    }
    return Result.healthy(controller.isLeader()
        ? "leading with epoch " + controller.fence().map(f -> f.epoch()).orElse(0L)
        : "standby; " + controller.view().leaderId().orElse("?") + " leads");
  }
}
