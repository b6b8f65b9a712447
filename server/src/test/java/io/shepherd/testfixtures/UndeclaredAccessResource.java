package io.shepherd.testfixtures;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A resource whose author forgot to say who may call its first method, for the server's access tests. Kept outside
 * {@code io.shepherd.server} so that the tests that read the server's resources from its packages do not find it.
 */
@Path("/api/v1/forgotten")
public final class UndeclaredAccessResource {
  @GET
  public String open() {
    return "should never be served";
  }

  @GET
  @Path("closed")
  @DenyAll
  public String closed() {
    return "should never be served";
  }

  @GET
  @Path("any")
  @PermitAll
  public String anyToken() {
    return "any valid token";
  }
}
