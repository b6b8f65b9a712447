package io.shepherd.worker.zk;

/** A parsed Shepherd path: what {@link ZkLayout#parse} makes of a cache event's path. */
public sealed interface ZkPath {
  record Epoch() implements ZkPath {}

  record Breaker() implements ZkPath {}

  record LeaderParticipant(String znode) implements ZkPath {}

  record ReplicaSet(String name) implements ZkPath {}

  record Instances(String replicaSet) implements ZkPath {}

  record Instance(String replicaSet, String instanceId) implements ZkPath {}

  record Status(String replicaSet) implements ZkPath {}

  record Revisions(String replicaSet) implements ZkPath {}

  record Revision(String replicaSet, int revision) implements ZkPath {}

  record Rollout(String replicaSet) implements ZkPath {}

  record Node(String nodeId) implements ZkPath {}

  record NodeAssignments(String nodeId) implements ZkPath {}

  record Assignment(String nodeId, String instanceId) implements ZkPath {}

  /** The parent of a replica set's configuration values, whose data is their last change (written by servers). */
  record Config(String replicaSet) implements ZkPath {}

  record ConfigValue(String replicaSet, String key) implements ZkPath {}

  record Other(String path) implements ZkPath {}
}
