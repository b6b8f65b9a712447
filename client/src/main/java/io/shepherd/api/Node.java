package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A live agent.
 *
 * @param id        the node id, unique in the cluster
 * @param host      the host name or address copies on it are reached at
 * @param capacity  how many copies it may run
 * @param used      copies assigned to it now (running or pending)
 * @param labels    matched against replica sets' node selectors
 * @param logsUrl   where the agent serves its copies' logs, when it does
 * @param startedAt when the agent registered
 * @param refusedPorts the exposed ports its gateway does not listen on, by port, and why; empty when it serves them
 *                  all (and when read from a server that does not report them)
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record Node(
    String id,
    String host,
    int capacity,
    int used,
    Map<String, String> labels,
    Optional<String> logsUrl,
    Instant startedAt,
    List<RefusedPort> refusedPorts) {

  public Node {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    logsUrl = logsUrl == null ? Optional.empty() : logsUrl;
    refusedPorts = refusedPorts == null ? List.of() : List.copyOf(refusedPorts);
  }

  /** A node that serves every exposed port. */
  public Node(String id, String host, int capacity, int used, Map<String, String> labels, Optional<String> logsUrl,
      Instant startedAt) {
    this(id, host, capacity, used, labels, logsUrl, startedAt, List.of());
  }
}
