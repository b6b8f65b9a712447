package io.shepherd.server.auth;

import io.shepherd.api.Role;

/**
 * The role names resources name in {@code @RolesAllowed} (annotations need constants). Each is {@link Role#id()};
 * a higher role includes the lower ones ({@link RoleAuthorizer}), so a resource names the lowest role it needs.
 */
public final class Roles {
  public static final String VIEWER = "viewer";
  public static final String OPERATOR = "operator";
  public static final String ADMIN = "admin";

  private Roles() {}
}
