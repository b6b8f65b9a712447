package io.shepherd.server.dashboard;

import io.dropwizard.core.setup.Environment;
import io.shepherd.server.ShepherdApplication;
import io.shepherd.server.ShepherdConfiguration;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Map;

/**
 * The application with a stand-in for bearer-token authentication, so that the dashboard's tests can sign in with
 * tokens of different roles: {@link #VIEWER} and {@link #OPERATOR} name a principal of that role,
 * {@link #UNAUTHENTICATED} (and a request without a token, as the tests' own REST client sends) passes as on a
 * server that authenticates nothing (no principal), any other token is refused with 401 and
 * {@code WWW-Authenticate}. Only {@code /api/} is guarded, as the page and its assets are open.
 */
public class TestTokensApplication extends ShepherdApplication {
  public static final String VIEWER = "viewer-secret";
  public static final String OPERATOR = "operator-secret";
  public static final String UNAUTHENTICATED = "no-auth";
  private static final Map<String, String[]> TOKENS = Map.of(
      VIEWER, new String[] {"vera", "viewer"},
      OPERATOR, new String[] {"otto", "operator"});

  @Override
  public void run(ShepherdConfiguration config, Environment env) {
    super.run(config, env);
    env.jersey().register(new Tokens());
  }

  @PreMatching
  @Priority(Priorities.AUTHENTICATION)
  static final class Tokens implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      if (!request.getUriInfo().getPath().startsWith("api/")) {
        return;
      }
      String header = request.getHeaderString("Authorization");
      String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : "";
      if (header == null || token.equals(UNAUTHENTICATED)) { // the tests' own REST client sends no token
        return;
      }
      String[] who = TOKENS.get(token);
      if (who == null) {
        request.abortWith(Response.status(401).header("WWW-Authenticate", "Bearer realm=\"shepherd\"")
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity("{\"code\":401,\"message\":\"unknown token\"}").build());
        return;
      }
      Principal principal = () -> who[0];
      request.setSecurityContext(new SecurityContext() {
        @Override
        public Principal getUserPrincipal() {
          return principal;
        }

        @Override
        public boolean isUserInRole(String role) {
          return who[1].equals(role);
        }

        @Override
        public boolean isSecure() {
          return false;
        }

        @Override
        public String getAuthenticationScheme() {
          return "Bearer";
        }
      });
    }
  }
}
