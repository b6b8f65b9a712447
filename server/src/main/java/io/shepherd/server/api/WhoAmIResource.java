package io.shepherd.server.api;

import io.shepherd.api.WhoAmI;
import io.shepherd.server.auth.Caller;
import io.shepherd.server.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code GET /api/v1/whoami}: the name and role of the request's token, so that a client (the dashboard) offers only
 * the actions the server would allow. Any role may ask.
 */
@Path("/api/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
public final class WhoAmIResource {
  @GET
  @RolesAllowed(Roles.VIEWER)
  public WhoAmI whoami(@Context SecurityContext security) {
    Caller caller = (Caller) security.getUserPrincipal();
    return new WhoAmI(caller.name(), caller.role());
  }
}
