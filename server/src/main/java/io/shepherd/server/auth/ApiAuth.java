package io.shepherd.server.auth;

import java.util.List;

/**
 * What guards the REST API, for the application and the resource tests alike: a bearer filter that reads
 * {@code Authorization: Bearer <token>} and nothing else ({@link HeaderBearerFilter}), with {@link TokenAuthenticator}
 * and {@link RoleAuthorizer}, applied to every resource method by {@link AccessFeature}, which also refuses methods
 * that declare no role.
 */
public final class ApiAuth {
  public static final String REALM = "shepherd";

  private ApiAuth() {}

  /** The providers to register with Jersey. */
  public static List<Object> providers(TokenStore tokens) {
    HeaderBearerFilter bearer = new HeaderBearerFilter.Builder()
        .setAuthenticator(new TokenAuthenticator(tokens))
        .setAuthorizer(new RoleAuthorizer())
        .setPrefix("Bearer")
        .setRealm(REALM)
        .setUnauthorizedHandler(new BearerChallenge())
        .buildAuthFilter();
    return List.of(new AccessFeature(bearer));
  }
}
