package io.shepherd.server.auth;

import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import java.util.List;

/**
 * What guards the REST API, for the application and the resource tests alike: Dropwizard's bearer filter
 * ({@code Authorization: Bearer <token>}) with {@link TokenAuthenticator} and {@link RoleAuthorizer}, applied to
 * every resource method by {@link AccessFeature}, which also refuses methods that declare no role.
 */
public final class ApiAuth {
  public static final String REALM = "shepherd";

  private ApiAuth() {}

  /** The providers to register with Jersey. */
  public static List<Object> providers(TokenStore tokens) {
    OAuthCredentialAuthFilter<Caller> bearer = new OAuthCredentialAuthFilter.Builder<Caller>()
        .setAuthenticator(new TokenAuthenticator(tokens))
        .setAuthorizer(new RoleAuthorizer())
        .setPrefix("Bearer")
        .setRealm(REALM)
        .setUnauthorizedHandler(new BearerChallenge())
        .buildAuthFilter();
    return List.of(new AccessFeature(bearer));
  }
}
