package io.shepherd.server.auth;

import io.dropwizard.auth.AuthFilter;
import io.shepherd.server.api.ApiException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/**
 * The bearer filter: a token is read from the {@code Authorization} header and nowhere else. Dropwizard's own OAuth
 * filter also takes {@code ?access_token=}, and a URL ends up in request logs, proxies' logs and browser histories;
 * a request that puts a token there is refused with a 400 naming the parameter, so nobody comes to rely on it.
 */
@Priority(Priorities.AUTHENTICATION)
final class HeaderBearerFilter extends AuthFilter<String, Caller> {
  static final String QUERY_TOKEN = "access_token";
  static final String QUERY_TOKEN_REFUSED = QUERY_TOKEN + ": a token is never taken from the URL, where logs and "
      + "histories keep it; send 'Authorization: Bearer <token>' instead (and revoke a token that was sent so)";

  private HeaderBearerFilter() {}

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getUriInfo().getQueryParameters().containsKey(QUERY_TOKEN)) {
      throw new ApiException(400, QUERY_TOKEN_REFUSED, Optional.of(QUERY_TOKEN));
    }
    String token = credentials(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
    if (!authenticate(request, token, "Bearer")) {
      throw new WebApplicationException(unauthorizedHandler.buildResponse(prefix, realm));
    }
  }

  /** The token of an {@code Authorization: <prefix> <token>} header, or null when there is none. */
  private String credentials(String header) {
    if (header == null) {
      return null;
    }
    int space = header.indexOf(' ');
    if (space <= 0 || !prefix.equalsIgnoreCase(header.substring(0, space))) {
      return null;
    }
    String token = header.substring(space + 1).strip();
    return token.isEmpty() ? null : token;
  }

  static final class Builder extends AuthFilterBuilder<String, Caller, HeaderBearerFilter> {
    @Override
    protected HeaderBearerFilter newInstance() {
      return new HeaderBearerFilter();
    }
  }
}
