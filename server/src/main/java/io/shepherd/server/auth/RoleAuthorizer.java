package io.shepherd.server.auth;

import io.dropwizard.auth.Authorizer;
import io.shepherd.api.Role;
import jakarta.ws.rs.container.ContainerRequestContext;

/** A caller is in a role when its token's role includes it: an admin is also an operator and a viewer. */
public final class RoleAuthorizer implements Authorizer<Caller> {
  @Override
  public boolean authorize(Caller caller, String role, ContainerRequestContext request) {
    return Role.parse(role).map(caller.role()::includes).orElse(false);
  }
}
