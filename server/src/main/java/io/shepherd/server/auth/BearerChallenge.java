package io.shepherd.server.auth;

import io.dropwizard.auth.UnauthorizedHandler;
import io.shepherd.api.ErrorMessage;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The 401 of a request without a valid token: the API's JSON error, with the RFC 6750 challenge. */
final class BearerChallenge implements UnauthorizedHandler {
  static final String MESSAGE = "a valid API token is required: send 'Authorization: Bearer <token>' "
      + "(none was sent, or it is malformed, unknown or revoked)";

  @Override
  public Response buildResponse(String prefix, String realm) {
    return Response.status(Response.Status.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(401, MESSAGE))
        .build();
  }
}
