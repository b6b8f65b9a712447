package io.shepherd.worker.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data of {@code /nodes/{nodeId}}: a live agent.
 *
 * @param id        the node id
 * @param host      the host name or address its copies are reached at
 * @param capacity  how many copies it may run
 * @param labels    matched against node selectors
 * @param logsUrl   the base URL of the agent's log server, when it runs one
 * @param startedAt when the agent registered
 * @param ports     the range the leader picks the copies' ports from; empty for an agent older than ports, which
 *                  runs no copy whose spec names a port
 * @param refusedPorts the exposed ports its gateway does not listen on, by port, and why; empty (and not written)
 *                  when it serves them all, runs no gateway, or is older than this field
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record NodeRecord(
    String id, String host, int capacity, Map<String, String> labels, Optional<String> logsUrl, Instant startedAt,
    Optional<PortRange> ports, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RefusedPort> refusedPorts) {

  public NodeRecord {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    logsUrl = logsUrl == null ? Optional.empty() : logsUrl;
    ports = ports == null ? Optional.empty() : ports;
    refusedPorts = refusedPorts == null ? List.of() : List.copyOf(refusedPorts);
  }

  /** A node whose gateway serves every exposed port (or that runs none). */
  public NodeRecord(
      String id, String host, int capacity, Map<String, String> labels, Optional<String> logsUrl, Instant startedAt,
      Optional<PortRange> ports) {
    this(id, host, capacity, labels, logsUrl, startedAt, ports, List.of());
  }

  /** This record with {@code refused} as its refused ports. */
  public NodeRecord withRefusedPorts(List<RefusedPort> refused) {
    return new NodeRecord(id, host, capacity, labels, logsUrl, startedAt, ports, refused);
  }

  /** A node without a port range. */
  public NodeRecord(
      String id, String host, int capacity, Map<String, String> labels, Optional<String> logsUrl, Instant startedAt) {
    this(id, host, capacity, labels, logsUrl, startedAt, Optional.empty());
  }
}
