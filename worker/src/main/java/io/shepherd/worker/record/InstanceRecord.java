package io.shepherd.worker.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data of {@code /replicasets/{name}/instances/{id}}, an ephemeral znode whose existence is the copy's
 * liveness.
 *
 * @param id          the instance id (also its assignment's name)
 * @param replicaSet  the replica set
 * @param node        the node running it
 * @param host        that node's host
 * @param pid         the process id
 * @param startedAt   when the process started
 * @param specVersion the spec version it was started from
 * @param ports       the ports it was given, by name (the assignment's); empty when none, or written before ports
 *                    existed
 * @param ready       whether it is ready for clients: its readiness probe passes, or it has none and runs. The agent
 *                    sets it on its own ephemeral node when readiness flips. Absent in records written before readiness
 *                    existed, which are read as ready
 * @param revision    the template revision it runs, from its assignment (0 in records written before revisions)
 */
public record InstanceRecord(
    String id, String replicaSet, String node, String host, long pid, Instant startedAt, int specVersion,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> ports,
    Boolean ready,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int revision) {

  public InstanceRecord {
    ports = ports == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    ready = ready == null ? Boolean.TRUE : ready;
  }

  /** An instance as it was before revisions: revision 0. */
  public InstanceRecord(String id, String replicaSet, String node, String host, long pid, Instant startedAt,
      int specVersion, Map<String, Integer> ports, Boolean ready) {
    this(id, replicaSet, node, host, pid, startedAt, specVersion, ports, ready, 0);
  }

  /** An instance with ports, ready. */
  public InstanceRecord(String id, String replicaSet, String node, String host, long pid, Instant startedAt,
      int specVersion, Map<String, Integer> ports) {
    this(id, replicaSet, node, host, pid, startedAt, specVersion, ports, true);
  }

  /** This instance with {@code newReady}. */
  public InstanceRecord withReady(boolean newReady) {
    return new InstanceRecord(id, replicaSet, node, host, pid, startedAt, specVersion, ports, newReady, revision);
  }

  /** An instance without ports. */
  public InstanceRecord(String id, String replicaSet, String node, String host, long pid, Instant startedAt,
      int specVersion) {
    this(id, replicaSet, node, host, pid, startedAt, specVersion, Map.of());
  }
}
