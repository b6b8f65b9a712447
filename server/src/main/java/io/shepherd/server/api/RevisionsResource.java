package io.shepherd.server.api;

import jakarta.annotation.security.RolesAllowed;
import io.shepherd.server.auth.Roles;
import io.shepherd.api.Revision;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import java.util.List;

/** {@code /api/v1/replicasets/{name}/revisions}: the stored revisions of a replica set's template, oldest first. */
@Path("/api/v1/replicasets/{name}/revisions")
@Produces(MediaType.APPLICATION_JSON)
public final class RevisionsResource {
  private final RolloutReads reads;

  public RevisionsResource(RolloutReads reads) {
    this.reads = reads;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public List<Revision> list(@PathParam("name") PathSegment name) {
    return reads.revisions(ReplicaSetResource.validName(name));
  }
}
