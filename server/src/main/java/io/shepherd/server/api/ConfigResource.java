package io.shepherd.server.api;

import io.shepherd.api.ConfigValue;
import io.shepherd.server.state.Versioned;
import io.shepherd.server.auth.Caller;
import io.shepherd.server.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/config/{name}/{key}}: configuration values a replica set's workers watch. Reads come from the
 * cache; writes are compare-and-set on the value's version with {@code If-Match}. A write or delete that changes a
 * value of a set whose config file restarts on change ({@code onChange: restart}) starts a rolling restart of the set
 * in the same transaction; one that changes nothing writes nothing ({@link ConfigStore}, {@link ConfigRestarts}).
 */
@Path("/api/v1/config/{name}/{key}")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ConfigResource {
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  private final ConfigValues values;

  public ConfigResource(ConfigValues values) {
    this.values = values;
  }

  /** The body of a PUT. */
  public record NewValue(String value) {}

  @GET
  public Response get(@PathParam("name") PathSegment name, @PathParam("key") PathSegment key) throws Exception {
    String n = ReplicaSetResource.validName(name);
    String k = validKey(key);
    Versioned<String> value = values.get(n, k)
        .orElseThrow(() -> ApiException.notFound("config value " + n + "/" + k));
    return Response.ok(new ConfigValue(n, k, value.value(), value.version()))
        .tag(Integer.toString(value.version())).build();
  }

  @PUT
  @RolesAllowed(Roles.OPERATOR)
  public Response put(@PathParam("name") PathSegment name, @PathParam("key") PathSegment key,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, NewValue body, @Context SecurityContext security)
      throws Exception {
    String n = ReplicaSetResource.validName(name);
    String k = validKey(key);
    if (body == null || body.value() == null) {
      throw ApiException.invalid("value", "is required: {\"value\": \"...\"}");
    }
    byte[] data = body.value().getBytes(StandardCharsets.UTF_8);
    if (data.length > MAX_VALUE_BYTES) {
      throw ApiException.invalid("value", "must be at most " + MAX_VALUE_BYTES + " bytes");
    }
    String by = Caller.nameOf(security);
    int version = values.put(n, k, body.value(), ReplicaSetResource.ifMatch(ifMatch), by).version();
    return Response.ok(new ConfigValue(n, k, body.value(), version)).tag(Integer.toString(version)).build();
  }

  @DELETE
  @RolesAllowed(Roles.OPERATOR)
  public Response delete(@PathParam("name") PathSegment name, @PathParam("key") PathSegment key,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context SecurityContext security) throws Exception {
    String n = ReplicaSetResource.validName(name);
    String k = validKey(key);
    String by = Caller.nameOf(security);
    values.delete(n, k, ReplicaSetResource.ifMatch(ifMatch), by);
    return Response.noContent().build();
  }

  private static String validKey(PathSegment key) {
    if (!key.getMatrixParameters().isEmpty() || !KEY.matcher(key.getPath()).matches()) {
      throw ApiException.invalid("key", "must be 1-128 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
    }
    return key.getPath();
  }
}
