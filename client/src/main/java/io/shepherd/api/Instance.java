package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One live copy of a replica set.
 *
 * @param id          unique within the replica set, stable for the copy's life
 * @param replicaSet  the replica set it belongs to
 * @param node        the node (agent) running it
 * @param host        the host name or address of that node, for routing to the copy
 * @param pid         the operating-system process id on that host
 * @param startedAt   when the process started
 * @param specVersion the version of the spec the copy was started from
 * @param ports       the ports the copy was given, by the spec's port names (reach it at {@code host:port}); empty
 *                    when the spec names none
 * @param ready       whether it is ready for clients: its readiness probe passes, or it has none and runs (a server
 *                    older than readiness sends none: read as ready)
 * @param restarts    how many times its agent restarted it in place (same id, same ports, a new pid)
 * @param lastExit    how its previous process ended; absent until it was restarted
 * @param revision    the template revision it runs (0 from a server older than revisions)
 */
public record Instance(
    String id, String replicaSet, String node, String host, long pid, Instant startedAt, int specVersion,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> ports,
    Boolean ready,
    Integer restarts,
    @JsonInclude(JsonInclude.Include.NON_NULL) LastExit lastExit,
    Integer revision) {

  public Instance {
    ports = ports == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    ready = ready == null ? Boolean.TRUE : ready;
    restarts = restarts == null ? 0 : restarts;
    revision = revision == null ? 0 : revision;
  }

  /** An instance without a revision. */
  public Instance(String id, String replicaSet, String node, String host, long pid, Instant startedAt,
      int specVersion, Map<String, Integer> ports, Boolean ready, Integer restarts, LastExit lastExit) {
    this(id, replicaSet, node, host, pid, startedAt, specVersion, ports, ready, restarts, lastExit, 0);
  }

  /** An instance never restarted in place. */
  public Instance(String id, String replicaSet, String node, String host, long pid, Instant startedAt,
      int specVersion, Map<String, Integer> ports, Boolean ready) {
    this(id, replicaSet, node, host, pid, startedAt, specVersion, ports, ready, 0, null);
  }

  /** A ready instance with ports, never restarted in place. */
  public Instance(String id, String replicaSet, String node, String host, long pid, Instant startedAt,
      int specVersion, Map<String, Integer> ports) {
    this(id, replicaSet, node, host, pid, startedAt, specVersion, ports, true, 0, null);
  }

  /** An instance without ports. */
  public Instance(String id, String replicaSet, String node, String host, long pid, Instant startedAt,
      int specVersion) {
    this(id, replicaSet, node, host, pid, startedAt, specVersion, Map.of());
  }
}
