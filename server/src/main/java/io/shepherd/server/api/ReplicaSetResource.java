package io.shepherd.server.api;

import io.shepherd.api.ETags;
import io.shepherd.api.FieldError;
import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.ScaleRequest;
import io.shepherd.api.SpecValidation;
import io.shepherd.server.auth.Caller;
import io.shepherd.server.auth.Roles;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code /api/v1/replicasets}: declare, read, scale and delete replica sets; list and stop their copies. Reads need
 * the viewer role, writes the operator role; each write stores its caller's name ({@code by}) with the spec, or with
 * the copy's assignment for a kill or a restart, so that the event it causes says who.
 */
@Path("/api/v1/replicasets")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ReplicaSetResource {
  private final ReplicaSetWrites store;
  private final ReplicaSetReads reads;

  public ReplicaSetResource(ReplicaSetWrites store, ReplicaSetReads reads) {
    this.store = store;
    this.reads = reads;
  }

  @GET
  public List<ReplicaSetSummary> list() {
    return reads.summaries();
  }

  @GET
  @Path("{name}")
  public Response get(@PathParam("name") PathSegment name) {
    String n = validName(name);
    ReplicaSetStatus status = reads.status(n).orElseThrow(() -> notFound(n));
    return Response.ok(status).tag(Integer.toString(status.version())).build();
  }

  @PUT
  @Path("{name}")
  @RolesAllowed(Roles.OPERATOR)
  public Response apply(@PathParam("name") PathSegment name, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      ReplicaSetSpec spec, @Context SecurityContext security) throws Exception {
    String n = validName(name);
    if (spec == null) {
      throw ApiException.badRequest("request body is required: a replica set spec");
    }
    List<FieldError> errors = SpecValidation.validate(spec);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors.get(0).field(), errors.get(0).message());
    }
    ReplicaSetWrites.Applied applied = store.apply(n, spec, ifMatch(ifMatch), Caller.nameOf(security));
    return withETag(Response.status(applied.created() ? 201 : 200), n, applied.stored());
  }

  @PUT
  @Path("{name}/replicas")
  @RolesAllowed(Roles.OPERATOR)
  public Response scale(@PathParam("name") PathSegment name, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      ScaleRequest request, @Context SecurityContext security) throws Exception {
    String n = validName(name);
    if (request == null) {
      throw ApiException.badRequest("request body is required: {\"replicas\": N}");
    }
    List<FieldError> errors = SpecValidation.validateReplicas(request.replicas());
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors.get(0).field(), errors.get(0).message());
    }
    return withETag(Response.ok(), n, store.scale(n, request.replicas(), ifMatch(ifMatch), Caller.nameOf(security)));
  }

  @DELETE
  @Path("{name}")
  @RolesAllowed(Roles.OPERATOR)
  public Response delete(@PathParam("name") PathSegment name, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @Context SecurityContext security) throws Exception {
    String n = validName(name);
    return withETag(Response.accepted(), n, store.delete(n, ifMatch(ifMatch), Caller.nameOf(security)));
  }

  @GET
  @Path("{name}/instances")
  public List<Instance> instances(@PathParam("name") PathSegment name, @QueryParam("ready") String ready) {
    String n = validName(name);
    Optional<Boolean> wanted = ready == null ? Optional.empty() : Optional.of(flag("ready", ready));
    List<Instance> all = reads.instances(n).orElseThrow(() -> notFound(n));
    return wanted.map(w -> all.stream().filter(i -> i.ready() == w).toList()).orElse(all);
  }

  @DELETE
  @Path("{name}/instances/{id}")
  @RolesAllowed(Roles.OPERATOR)
  public Response kill(@PathParam("name") PathSegment name, @PathParam("id") PathSegment id,
      @QueryParam("scale") String scale, @Context SecurityContext security) throws Exception {
    String n = validName(name);
    String instance = instanceId(id);
    return withETag(Response.accepted(), n, store.kill(n, instance, flag("scale", scale), Caller.nameOf(security)));
  }

  @POST
  @Path("{name}/instances/{id}/restart")
  @RolesAllowed(Roles.OPERATOR)
  public Response restart(@PathParam("name") PathSegment name, @PathParam("id") PathSegment id,
      @Context SecurityContext security) throws Exception {
    String n = validName(name);
    String instance = instanceId(id);
    return withETag(Response.accepted(), n, store.restart(n, instance, Caller.nameOf(security)));
  }

  private Response withETag(Response.ResponseBuilder builder, String name, Versioned<StoredReplicaSet> stored) {
    ReplicaSetStatus status = reads.status(name, stored);
    return builder.entity(status).tag(Integer.toString(stored.version())).build();
  }

  /** The replica-set name of a path segment; matrix parameters (";x") would hide part of it, so they are refused. */
  static String validName(PathSegment segment) {
    List<FieldError> errors = SpecValidation.validateName(segment.getPath());
    if (!segment.getMatrixParameters().isEmpty() || !errors.isEmpty()) {
      throw ApiException.invalid("name", SpecValidation.validateName(null).get(0).message());
    }
    return segment.getPath();
  }

  /** An instance id from a path segment: refused with 404 when matrix parameters would hide part of it. */
  private static String instanceId(PathSegment segment) {
    if (!segment.getMatrixParameters().isEmpty()) {
      throw ApiException.notFound("instance " + segment);
    }
    return segment.getPath();
  }

  /**
   * A true/false query parameter, absent meaning false. Anything else is refused naming it: Jersey would read any
   * other word as false, and {@code ?scale=ture} would then stop a copy without lowering the count.
   */
  static boolean flag(String field, String value) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw new ApiException(400, field + " must be true or false, got '" + value + "'", Optional.of(field));
  }

  static OptionalInt ifMatch(String header) {
    if (header == null || header.isBlank() || header.trim().equals("*")) {
      return OptionalInt.empty();
    }
    OptionalInt version = ETags.parse(header);
    if (version.isEmpty()) {
      throw ApiException.badRequest("If-Match must be an ETag this API gave, like \"3\"");
    }
    return version;
  }

  private static ApiException notFound(String name) {
    return ApiException.notFound("replica set " + name);
  }
}
