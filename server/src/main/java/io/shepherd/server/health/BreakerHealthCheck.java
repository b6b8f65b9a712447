package io.shepherd.server.health;

import com.codahale.metrics.health.HealthCheck;
import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ClusterView;

/** Unhealthy while the mass-loss breaker holds rescheduling back: an operator should look. */
public final class BreakerHealthCheck extends HealthCheck {
  private final ClusterView view;

  public BreakerHealthCheck(ClusterView view) {
    this.view = view;
  }

  @Override
  protected Result check() {
    BreakerState state = view.breaker();
    return state.open()
        ? Result.unhealthy("mass-loss breaker open: %s (PUT /api/v1/breaker {\"open\": false} to resume)", state.reason())
        : Result.healthy();
  }
}
