package io.shepherd.server.api;

import io.shepherd.api.LeaderInfo;
import io.shepherd.api.Node;
import io.shepherd.server.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/v1/nodes} and {@code /api/v1/leader}: the live agents and who controls. */
@Path("/api/v1")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public final class ClusterResource {
  private final ClusterInfo reads;

  public ClusterResource(ClusterInfo reads) {
    this.reads = reads;
  }

  @GET
  @Path("nodes")
  public List<Node> nodes() {
    return reads.nodes();
  }

  @GET
  @Path("leader")
  public LeaderInfo leader() {
    return reads.leader();
  }
}
