package io.shepherd.server.api;

import io.shepherd.worker.record.NodeRecord;
import io.shepherd.server.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code GET /api/v1/replicasets/{name}/instances/{id}/logs?tail=N&follow=true}: a copy's stdout and stderr,
 * wherever it runs. The copy's node comes from the cluster view (its instance while it lives, its assignment once it
 * exited and until the controller cleans it up); the request is forwarded to that node's agent
 * ({@code {logsUrl}/{id}}) and its answer streamed back as {@code text/plain}: the last N lines (default: the whole
 * current file), then, when following, what the copy writes until it ends or the reader goes away.
 *
 * <p>404 for an unknown replica set or copy (or one whose log the agent no longer has), 400 for a bad
 * {@code tail} or {@code follow}, 503 when the node runs no log server, cannot be reached or does not answer in
 * time. How long the server waits on an agent is bounded; see {@link LogProxy}.
 */
@Path("/api/v1/replicasets/{name}/instances/{id}/logs")
@RolesAllowed(Roles.OPERATOR)
public final class LogsResource {
  /** The agent's own bound on {@code tail}. */
  static final long MAX_TAIL_LINES = 1_000_000;

  private final CopyLocator copies;
  private final AgentLogs proxy;

  public LogsResource(CopyLocator copies, AgentLogs proxy) {
    this.copies = copies;
    this.proxy = proxy;
  }

  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public Response logs(@PathParam("name") PathSegment name, @PathParam("id") PathSegment id,
      @QueryParam("tail") String tail, @QueryParam("follow") String follow) {
    String set = ReplicaSetResource.validName(name);
    String instance = instanceId(id);
    OptionalLong lines = tail(tail);
    boolean following = ReplicaSetResource.flag("follow", follow);

    String nodeId = nodeOf(set, instance);
    NodeRecord node = copies.node(nodeId).orElseThrow(() -> ApiException.unavailable(
        "node " + nodeId + " of copy " + instance + " is not registered (down or restarting); try again"));
    String base = node.logsUrl().orElseThrow(() -> ApiException.unavailable(
        "node " + nodeId + " of copy " + instance + " runs no log server"));
    StringBuilder query = new StringBuilder();
    lines.ifPresent(n -> query.append("tail=").append(n));
    if (following) {
      query.append(query.length() == 0 ? "" : "&").append("follow=true");
    }
    URI uri;
    try {
      uri = URI.create(base + "/" + URLEncoder.encode(instance, StandardCharsets.UTF_8).replace("+", "%20")
          + (query.length() == 0 ? "" : "?" + query));
    } catch (IllegalArgumentException e) {
      throw ApiException.unavailable("node " + nodeId + " advertises an unusable log server address: " + base);
    }
    return Response.ok(proxy.open(uri, nodeId, following), MediaType.TEXT_PLAIN + ";charset=utf-8")
        .header("Cache-Control", "no-store")
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }

  /** The node of a live copy, or of an exited one whose assignment is still there. */
  private String nodeOf(String set, String instance) {
    Optional<String> node = copies.nodeOf(set, instance);
    if (node.isPresent()) {
      return node.get();
    }
    if (!copies.knows(set)) {
      throw ApiException.notFound("replica set " + set);
    }
    throw ApiException.notFound("instance " + instance + " of replica set " + set);
  }

  private static String instanceId(PathSegment segment) {
    if (!segment.getMatrixParameters().isEmpty() || segment.getPath().isEmpty()) {
      throw ApiException.notFound("instance " + segment);
    }
    return segment.getPath();
  }

  private static OptionalLong tail(String value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 0 && n <= MAX_TAIL_LINES) {
        return OptionalLong.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below, naming the parameter
    }
    throw new ApiException(400, "tail must be a whole number of lines within 0.." + MAX_TAIL_LINES + ", got '"
        + value + "'", Optional.of("tail"));
  }
}
