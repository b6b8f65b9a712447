package io.shepherd.worker.zk;

import java.util.Objects;

/**
 * Every ZooKeeper path Shepherd uses, built in one place. The table of docs/ARCHITECTURE.md, in code:
 *
 * <pre>
 * {root}/leader                                  LeaderLatch participants
 * {root}/epoch                                   the controller epoch (persistent)
 * {root}/breaker                                 the mass-loss breaker's state (persistent, leader and operator)
 * {root}/replicasets/{name}                      a spec (persistent; znode version = ETag)
 * {root}/replicasets/{name}/instances/{id}       one live copy (ephemeral)
 * {root}/replicasets/{name}/status               crash-loop state (persistent, leader)
 * {root}/nodes/{nodeId}                          a live agent (ephemeral)
 * {root}/assignments/{nodeId}/{instanceId}       run this copy here (persistent)
 * {root}/config/{name}/{key}                     configuration values (persistent)
 * {root}/elections/{name}                        leader election among one replica set's copies (workers)
 * {root}/exposed/{port}                          which replica set exposes this gateway port (persistent, REST)
 * </pre>
 *
 * <p>Every name that becomes a path segment is checked: no '/', no "." or "..", not empty. {@link #parse}
 * is the inverse, used to route cache events.
 */
public final class ZkLayout {
  public static final String DEFAULT_ROOT = "/shepherd";

  static final String LEADER = "leader";
  static final String EPOCH = "epoch";
  static final String BREAKER = "breaker";
  static final String REPLICA_SETS = "replicasets";
  static final String INSTANCES = "instances";
  static final String STATUS = "status";
  static final String NODES = "nodes";
  static final String ASSIGNMENTS = "assignments";
  static final String CONFIG = "config";
  static final String ELECTIONS = "elections";
  static final String EXPOSED = "exposed";

  private final String root;

  public ZkLayout(String root) {
    Objects.requireNonNull(root, "root");
    if (!root.startsWith("/") || (root.length() > 1 && root.endsWith("/")) || root.contains("//")) {
      throw new IllegalArgumentException("ZooKeeper root must be an absolute path without a trailing '/': " + root);
    }
    this.root = root.equals("/") ? "" : root;
  }

  public static ZkLayout defaultLayout() {
    return new ZkLayout(DEFAULT_ROOT);
  }

  public String root() {
    return root.isEmpty() ? "/" : root;
  }

  public String leader() {
    return root + "/" + LEADER;
  }

  public String epoch() {
    return root + "/" + EPOCH;
  }

  public String breaker() {
    return root + "/" + BREAKER;
  }

  public String replicaSets() {
    return root + "/" + REPLICA_SETS;
  }

  public String replicaSet(String name) {
    return replicaSets() + "/" + segment(name);
  }

  public String instances(String name) {
    return replicaSet(name) + "/" + INSTANCES;
  }

  public String instance(String name, String instanceId) {
    return instances(name) + "/" + segment(instanceId);
  }

  public String status(String name) {
    return replicaSet(name) + "/" + STATUS;
  }

  public String nodes() {
    return root + "/" + NODES;
  }

  public String node(String nodeId) {
    return nodes() + "/" + segment(nodeId);
  }

  public String assignments() {
    return root + "/" + ASSIGNMENTS;
  }

  public String assignmentsOf(String nodeId) {
    return assignments() + "/" + segment(nodeId);
  }

  public String assignment(String nodeId, String instanceId) {
    return assignmentsOf(nodeId) + "/" + segment(instanceId);
  }

  public String config() {
    return root + "/" + CONFIG;
  }

  public String configOf(String name) {
    return config() + "/" + segment(name);
  }

  public String configValue(String name, String key) {
    return configOf(name) + "/" + segment(key);
  }

  /**
   * Leader elections among the copies of one replica set (ShepherdWorker); outside the replica set's own tree so
   * that removing a replica set never waits for a worker's latch.
   */
  public String election(String name) {
    return root + "/" + ELECTIONS + "/" + segment(name);
  }

  /** The gateway ports claimed by replica sets; agents watch it to know what to listen on. */
  public String exposed() {
    return root + "/" + EXPOSED;
  }

  /** The claim of one gateway port: its data names the replica set and its target port. */
  public String exposedPort(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
    return exposed() + "/" + port;
  }

  /** What a path under this root is; {@link ZkPath.Other} for anything Shepherd does not name. */
  public ZkPath parse(String path) {
    if (path == null || !path.startsWith(root + "/")) {
      return new ZkPath.Other(path);
    }
    String[] s = path.substring(root.length() + 1).split("/", -1);
    return switch (s[0]) {
      case EPOCH -> s.length == 1 ? new ZkPath.Epoch() : new ZkPath.Other(path);
      case BREAKER -> s.length == 1 ? new ZkPath.Breaker() : new ZkPath.Other(path);
      case LEADER -> s.length == 2 ? new ZkPath.LeaderParticipant(s[1]) : new ZkPath.Other(path);
      case NODES -> s.length == 2 ? new ZkPath.Node(s[1]) : new ZkPath.Other(path);
      case ASSIGNMENTS -> switch (s.length) {
        case 2 -> new ZkPath.NodeAssignments(s[1]);
        case 3 -> new ZkPath.Assignment(s[1], s[2]);
        default -> new ZkPath.Other(path);
      };
      case REPLICA_SETS -> parseReplicaSet(path, s);
      case CONFIG -> s.length == 3 ? new ZkPath.ConfigValue(s[1], s[2]) : new ZkPath.Other(path);
      default -> new ZkPath.Other(path);
    };
  }

  private static ZkPath parseReplicaSet(String path, String[] s) {
    if (s.length == 2) {
      return new ZkPath.ReplicaSet(s[1]);
    }
    if (s.length == 3 && s[2].equals(STATUS)) {
      return new ZkPath.Status(s[1]);
    }
    if (s.length == 3 && s[2].equals(INSTANCES)) {
      return new ZkPath.Instances(s[1]);
    }
    if (s.length == 4 && s[2].equals(INSTANCES)) {
      return new ZkPath.Instance(s[1], s[3]);
    }
    return new ZkPath.Other(path);
  }

  private static String segment(String name) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
        || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a valid path segment: " + name);
    }
    return name;
  }
}
