package io.shepherd.server.auth;

import io.shepherd.server.api.ApiException;
import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Puts every resource method of the API behind a token, and refuses by default. Each method gets the bearer filter
 * (no valid token: 401) and then a role check from its annotations, the method's winning over its class's:
 * {@code @RolesAllowed} needs one of the roles (a higher role includes the lower ones, {@link RoleAuthorizer}),
 * {@code @PermitAll} any valid token, and {@code @DenyAll} or <em>no annotation at all</em> refuses everyone (403):
 * an endpoint someone forgot to annotate is closed, not open. A method or class marked {@link Anonymous} gets neither
 * filter: it is served without a token.
 */
public final class AccessFeature implements DynamicFeature {
  private final ContainerRequestFilter authentication;

  public AccessFeature(ContainerRequestFilter authentication) {
    this.authentication = authentication;
  }

  /** What a resource method's annotations allow. */
  public sealed interface Access {
    /** Any valid token. */
    record AnyToken() implements Access {}

    /** A token with one of these roles, or a higher one. */
    record Roles(List<String> roles) implements Access {}

    /** Nobody: {@code @DenyAll}, or no annotation. */
    record Nobody(String why) implements Access {}
  }

  /** The access a method declares: its own annotation, else its class's, else none (denied). */
  public static Access of(Method method, Class<?> resourceClass) {
    return declared(method).or(() -> declared(resourceClass))
        .orElse(new Access.Nobody("declares no role (@RolesAllowed or @PermitAll)"));
  }

  private static Optional<Access> declared(AnnotatedElement element) {
    if (element.isAnnotationPresent(DenyAll.class)) {
      return Optional.of(new Access.Nobody("is closed (@DenyAll)"));
    }
    RolesAllowed roles = element.getAnnotation(RolesAllowed.class);
    if (roles != null) {
      return Optional.of(new Access.Roles(List.of(roles.value())));
    }
    if (element.isAnnotationPresent(PermitAll.class)) {
      return Optional.of(new Access.AnyToken());
    }
    return Optional.empty();
  }

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    Method method = resourceInfo.getResourceMethod();
    if (method == null || method.isAnnotationPresent(Anonymous.class)
        || resourceInfo.getResourceClass().isAnnotationPresent(Anonymous.class)) {
      return;
    }
    context.register(authentication);
    Access access = of(method, resourceInfo.getResourceClass());
    if (!(access instanceof Access.AnyToken)) {
      context.register(new RoleCheck(access));
    }
  }

  /** Runs after authentication: the caller is known, so a refusal here is a 403. */
  @Priority(Priorities.AUTHORIZATION)
  static final class RoleCheck implements ContainerRequestFilter {
    private final Access access;

    RoleCheck(Access access) {
      this.access = access;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      SecurityContext security = request.getSecurityContext();
      if (access instanceof Access.Nobody nobody) {
        throw new ApiException(403, "this endpoint " + nobody.why() + ", so it refuses every caller",
            Optional.empty());
      }
      List<String> roles = ((Access.Roles) access).roles();
      if (roles.stream().anyMatch(security::isUserInRole)) {
        return;
      }
      String holder = security.getUserPrincipal() instanceof Caller c
          ? "token '" + c.name() + "' has the " + c.role().id() + " role" : "the caller has no role";
      throw new ApiException(403, "this needs the " + roles.stream().collect(Collectors.joining(" or "))
          + " role (or a higher one); " + holder, Optional.empty());
    }
  }
}
