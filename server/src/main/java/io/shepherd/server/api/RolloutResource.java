package io.shepherd.server.api;

import jakarta.annotation.security.RolesAllowed;
import io.shepherd.server.auth.Roles;
import io.shepherd.server.auth.Caller;
import io.shepherd.api.Rollout;
import io.shepherd.api.UndoRequest;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import jakarta.ws.rs.Consumes;
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
import java.util.OptionalInt;

/**
 * {@code /api/v1/replicasets/{name}/rollout}: read a replica set's rollout and control it. A control request
 * records the user's wish in the spec znode and answers 202 with the replica set; the leader acts on it.
 */
@Path("/api/v1/replicasets/{name}/rollout")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class RolloutResource {
  private final RolloutWrites writes;
  private final RolloutReads reads;
  private final ReplicaSetReads sets;

  public RolloutResource(RolloutWrites writes, RolloutReads reads, ReplicaSetReads sets) {
    this.writes = writes;
    this.reads = reads;
    this.sets = sets;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public Rollout get(@PathParam("name") PathSegment name) {
    String n = ReplicaSetResource.validName(name);
    return reads.rollout(n).orElseThrow(() -> ApiException.notFound("rollout of replica set " + n
        + " (the leader has not looked at it yet)"));
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("pause")
  public Response pause(@PathParam("name") PathSegment name, @Context SecurityContext security) throws Exception {
    return control(name, security, writes::pause);
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("resume")
  public Response resume(@PathParam("name") PathSegment name, @Context SecurityContext security) throws Exception {
    return control(name, security, writes::resume);
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("promote")
  public Response promote(@PathParam("name") PathSegment name, @Context SecurityContext security) throws Exception {
    return control(name, security, writes::promote);
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("restart")
  public Response restart(@PathParam("name") PathSegment name, @Context SecurityContext security) throws Exception {
    return control(name, security, writes::restartRollout);
  }

  /** Goes back to {@code {"revision": n}}, or without a body (or a revision) to the previous revision. */
  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("undo")
  public Response undo(@PathParam("name") PathSegment name, @Context SecurityContext security, UndoRequest request)
      throws Exception {
    return control(name, security, (n, caller) -> writes.undo(n, revisionOf(request), caller));
  }

  /** The revision an undo asks for; empty for the previous one. */
  private static OptionalInt revisionOf(UndoRequest request) {
    if (request == null || request.revision() == null) {
      return OptionalInt.empty();
    }
    if (request.revision() < 1) {
      throw ApiException.invalid("revision", "must be a revision number, 1 or more");
    }
    return OptionalInt.of(request.revision());
  }

  /** One control request: records the caller's wish for the named replica set and answers 202 with it. */
  private Response control(PathSegment name, SecurityContext security, Write write) throws Exception {
    String n = ReplicaSetResource.validName(name);
    Versioned<StoredReplicaSet> stored = write.apply(n, Caller.nameOf(security));
    return Response.accepted(sets.status(n, stored)).tag(Integer.toString(stored.version())).build();
  }

  /** A write of {@link RolloutWrites}: the replica set's name and the caller's, to the spec it stored. */
  @FunctionalInterface
  private interface Write {
    Versioned<StoredReplicaSet> apply(String name, String caller) throws Exception;
  }
}
