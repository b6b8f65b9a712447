package io.shepherd.server.auth;

import io.shepherd.api.Role;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * Who sent a request: the API token it carried. {@link #getName()} is the token's name, which the API records in
 * what the request writes (and so in the events it causes); JAX-RS resources get it from
 * {@code SecurityContext.getUserPrincipal()}.
 *
 * @param tokenId the token's id
 * @param name    the token's name
 * @param role    what it may do
 */
public record Caller(String tokenId, String name, Role role) implements Principal {
  @Override
  public String getName() {
    return name;
  }

  /**
   * The name of the caller of a request that passed {@link AccessFeature}. A resource method never runs without one,
   * so its absence is a wiring bug.
   */
  public static String nameOf(SecurityContext security) {
    Principal p = security == null ? null : security.getUserPrincipal();
    if (p == null) {
      throw new IllegalStateException("no authenticated caller: the API's auth filter is not registered");
    }
    return p.getName();
  }
}
