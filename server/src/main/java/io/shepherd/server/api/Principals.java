package io.shepherd.server.api;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** Who made a request, as recorded with what it changes. */
final class Principals {
  /** The name recorded when a request carries no principal (authentication off). */
  static final String ANONYMOUS = "anonymous";

  private Principals() {}

  static String name(SecurityContext security) {
    Principal principal = security == null ? null : security.getUserPrincipal();
    return principal == null || principal.getName() == null ? ANONYMOUS : principal.getName();
  }
}
