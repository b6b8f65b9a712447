package io.shepherd.server.api;

import io.shepherd.server.auth.Anonymous;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /}: the dashboard's page. Its scripts and style sheet are served from the jar under {@code /ui/} (an
 * asset servlet, {@code /dashboard} on the class path); the page reads everything else from the REST API and the
 * event stream with the token its user types in, so the page itself holds nothing secret and needs no token: it
 * deliberately carries no role annotation (with dropwizard-auth, even {@code @PermitAll} would demand credentials,
 * and a browser cannot send a header when it navigates).
 */
@Path("/")
public final class DashboardResource {
  /** Where the page and its assets are on the class path. */
  public static final String ASSETS = "/dashboard";

  private final byte[] page;

  public DashboardResource() {
    try (InputStream in = DashboardResource.class.getResourceAsStream(ASSETS + "/index.html")) {
      if (in == null) {
        throw new IllegalStateException("the dashboard page " + ASSETS + "/index.html is missing from the jar");
      }
      this.page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @Anonymous
  @Produces(MediaType.TEXT_HTML)
  public Response page() {
    return Response.ok(page, MediaType.TEXT_HTML + ";charset=utf-8")
        .header("Cache-Control", "no-cache")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        // Everything the page loads comes from this server: no CDN, no inline script.
        .header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
        .build();
  }
}
