package io.shepherd.worker.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
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
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record NodeRecord(
    String id, String host, int capacity, Map<String, String> labels, Optional<String> logsUrl, Instant startedAt,
    Optional<PortRange> ports) {

  public NodeRecord {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    logsUrl = logsUrl == null ? Optional.empty() : logsUrl;
    ports = ports == null ? Optional.empty() : ports;
  }

  /** A node without a port range. */
  public NodeRecord(
      String id, String host, int capacity, Map<String, String> labels, Optional<String> logsUrl, Instant startedAt) {
    this(id, host, capacity, labels, logsUrl, startedAt, Optional.empty());
  }
}
