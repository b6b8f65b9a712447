package io.shepherd.server.api;

import io.shepherd.api.BreakerStatus;
import io.shepherd.server.state.BreakerState;
import io.shepherd.server.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.shepherd.server.auth.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;

/** {@code /api/v1/breaker}: see the mass-loss breaker, and close it by hand once an operator is sure. */
@Path("/api/v1/breaker")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class BreakerResource {
  private final BreakerControl breaker;
  private final Clock clock;

  public BreakerResource(BreakerControl breaker, Clock clock) {
    this.breaker = breaker;
    this.clock = clock;
  }

  /** The body of a reset: only {@code {"open": false}} is accepted; opening is the controller's decision. */
  public record BreakerChange(Boolean open) {}

  @GET
  public BreakerStatus get() {
    return status(breaker.current());
  }

  @PUT
  @RolesAllowed(Roles.ADMIN)
  public BreakerStatus reset(BreakerChange change, @Context SecurityContext security) throws Exception {
    if (change == null || change.open() == null) {
      throw ApiException.badRequest("request body is required: {\"open\": false}");
    }
    if (change.open()) {
      throw ApiException.invalid("open", "can only be set to false: the controller opens the breaker itself");
    }
    BreakerState closed = BreakerState.closedBy(clock.instant(), Caller.nameOf(security));
    breaker.store(closed);
    return status(closed);
  }

  private static BreakerStatus status(BreakerState state) {
    return new BreakerStatus(state.open(), state.since(), state.reason());
  }
}
