package io.shepherd.server.api;

import io.shepherd.api.NewToken;
import io.shepherd.api.TokenInfo;
import io.shepherd.api.TokenRequest;
import io.shepherd.server.auth.Caller;
import io.shepherd.server.auth.Roles;
import io.shepherd.server.auth.TokenSecrets;
import io.shepherd.server.auth.TokenStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/tokens} (admin only): create an API token (its secret is in this one answer and nowhere else: the
 * server keeps its SHA-256), list them, revoke one. A revoked token is refused by every server within moments.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public final class TokensResource {
  /** Names appear in events and logs: a short word, nothing that could forge a line. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  private final TokenStore tokens;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TokensResource(TokenStore tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  @POST
  public Response create(TokenRequest request, @Context SecurityContext security) throws Exception {
    if (request == null) {
      throw ApiException.badRequest("request body is required: {\"name\": \"...\", \"role\": \"viewer\"}");
    }
    if (request.name() == null || !NAME.matcher(request.name()).matches()) {
      throw ApiException.invalid("name", "must be 1-64 letters, digits, '.', '_', '@' or '-', starting with a "
          + "letter or digit");
    }
    if (request.role() == null) {
      throw ApiException.invalid("role", "is required: viewer, operator or admin");
    }
    TokenSecrets.Issued issued = TokenSecrets.issue(random, request.name(), request.role(), clock.instant(),
        Optional.of(Caller.nameOf(security)));
    tokens.create(issued.record());
    return Response.status(201).entity(new NewToken(issued.record().info(), issued.secret()))
        .header("Cache-Control", "no-store").build();
  }

  @GET
  public List<TokenInfo> list() throws Exception {
    return tokens.list().stream().map(t -> t.info()).toList();
  }

  @DELETE
  @Path("{id}")
  public Response revoke(@PathParam("id") PathSegment id) throws Exception {
    String tokenId = id.getPath();
    if (!id.getMatrixParameters().isEmpty() || !TokenSecrets.isId(tokenId) || !tokens.revoke(tokenId)) {
      throw ApiException.notFound("token " + id);
    }
    return Response.noContent().build();
  }
}
