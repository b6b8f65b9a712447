package io.shepherd.server.api;

import io.shepherd.api.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code GET /api/v1/whoami}: the caller's name and highest role, so that a client (the dashboard) offers only the
 * actions the server would allow. Read from the request's {@link SecurityContext}: a server that authenticates no
 * request has no principal there, and answers {@code {"name": null, "role": null}}.
 */
@Path("/api/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
public final class WhoAmIResource {
  /** The roles from the highest down: a caller's role is the first one it holds. */
  static final List<String> ROLES = List.of(Caller.ADMIN, Caller.OPERATOR, Caller.VIEWER);

  @GET
  @RolesAllowed({Caller.VIEWER, Caller.OPERATOR, Caller.ADMIN})
  public Caller whoami(@Context SecurityContext security) {
    Principal principal = security == null ? null : security.getUserPrincipal();
    if (principal == null) {
      return new Caller(null, null);
    }
    return new Caller(principal.getName(), highestRole(security::isUserInRole));
  }

  /** The highest role of {@link #ROLES} the caller holds, or {@code null} when it holds none. */
  static String highestRole(Predicate<String> holds) {
    return ROLES.stream().filter(holds).findFirst().orElse(null);
  }
}
