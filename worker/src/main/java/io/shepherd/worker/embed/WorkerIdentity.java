package io.shepherd.worker.embed;

import io.shepherd.worker.record.AssignmentRecord;
import java.util.Map;
import java.util.Optional;

/**
 * Which copy a process is. The agent puts it in every copy's environment ({@code SHEPHERD_REPLICA_SET},
 * {@code SHEPHERD_INSTANCE_ID}, {@code SHEPHERD_NODE}), so a copy can name itself in elections and logs.
 *
 * @param replicaSet the replica set the copy belongs to
 * @param instanceId the copy's instance id
 * @param node       the node running it
 */
public record WorkerIdentity(String replicaSet, String instanceId, String node) {
  public static final String REPLICA_SET = "SHEPHERD_REPLICA_SET";
  public static final String INSTANCE_ID = "SHEPHERD_INSTANCE_ID";
  public static final String NODE = "SHEPHERD_NODE";

  public static WorkerIdentity of(AssignmentRecord assignment) {
    return new WorkerIdentity(assignment.replicaSet(), assignment.instanceId(), assignment.nodeId());
  }

  /** The identity the agent gave this process; empty when it was not started by a Shepherd agent. */
  public static Optional<WorkerIdentity> fromEnvironment(Map<String, String> env) {
    String rs = env.get(REPLICA_SET);
    String id = env.get(INSTANCE_ID);
    if (rs == null || rs.isBlank() || id == null || id.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new WorkerIdentity(rs, id, env.getOrDefault(NODE, "")));
  }

  public Map<String, String> toEnvironment() {
    return Map.of(REPLICA_SET, replicaSet, INSTANCE_ID, instanceId, NODE, node);
  }
}
