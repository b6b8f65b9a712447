package io.shepherd.worker.zk;

import static org.apache.zookeeper.ZooDefs.Perms.CREATE;
import static org.apache.zookeeper.ZooDefs.Perms.DELETE;
import static org.apache.zookeeper.ZooDefs.Perms.READ;
import static org.apache.zookeeper.ZooDefs.Perms.WRITE;

import java.util.List;
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
 * {root}/replicasets/{name}/revisions/{n}        the template of revision n (persistent, REST; the last ten)
 * {root}/replicasets/{name}/rollout              the rollout in progress or last done (persistent, leader)
 * {root}/nodes/{nodeId}                          a live agent (ephemeral)
 * {root}/assignments/{nodeId}/{instanceId}       run this copy here (persistent)
 * {root}/config/{name}                           container of a set's values; its data: their last change
 * {root}/config/{name}/{key}                     configuration values (persistent)
 * {root}/elections/{name}                        leader election among one replica set's copies (workers)
 * {root}/copy-elections/{name}/{seq}             the same, held by agents for their ready copies (local API)
 * {root}/tokens/{id}                             an API token: name, role, SHA-256 of its secret (persistent, REST)
 * {root}/exposed/{port}                          which replica set exposes this gateway port (persistent, REST)
 * </pre>
 *
 * <p>Beside the paths, {@link #AGENT_GRANTS}: what the agents' ZooKeeper identity may do on each (the servers'
 * identity may do everything, the world nothing; {@link ZkAcls} turns it into ACLs).
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
  static final String REVISIONS = "revisions";
  static final String ROLLOUT = "rollout";
  static final String NODES = "nodes";
  static final String ASSIGNMENTS = "assignments";
  static final String CONFIG = "config";
  static final String ELECTIONS = "elections";
  static final String TOKENS = "tokens";
  static final String EXPOSED = "exposed";
  static final String COPY_ELECTIONS = "copy-elections";

  /**
   * What agents may do on each path, as ZooKeeper permissions ({@code ZooDefs.Perms}); "*" stands for one name,
   * "" for the root. ZooKeeper checks CREATE and DELETE on the parent of the znode created or deleted, READ and WRITE
   * on the znode itself, and nothing is inherited. A path not listed is the servers' alone: the leader latch, the
   * epoch's writes, the breaker, specs and their status, everything a later version adds until it is listed here.
   */
  static final List<Grant> AGENT_GRANTS = List.of(
      // Never CREATE on the root: the creator of a znode chooses its ACL, so an agent could otherwise pre-create a
      // top-level znode (tokens, the breaker) open to anyone. Servers create the top level (Controller).
      new Grant("", READ),
      // Assignments carry the epoch they were made in; the agent refuses older ones.
      new Grant(EPOCH, READ),
      // Register (ephemeral) and deregister this host; replace its own registration of an expired session.
      new Grant(NODES, READ | CREATE | DELETE),
      new Grant(NODES + "/*", READ | WRITE),
      // Create this host's assignment parent; read its assignments and record their progress. Never create one.
      new Grant(ASSIGNMENTS, READ | CREATE),
      new Grant(ASSIGNMENTS + "/*", READ),
      new Grant(ASSIGNMENTS + "/*/*", READ | WRITE),
      // Register each live copy (ephemeral), update its ready flag, deregister it. Never read or write the spec.
      new Grant(REPLICA_SETS + "/*/" + INSTANCES, READ | CREATE | DELETE),
      new Grant(REPLICA_SETS + "/*/" + INSTANCES + "/*", READ | WRITE),
      // Copies' configuration values and leader elections (the embeddable worker API).
      new Grant(CONFIG, READ),
      new Grant(CONFIG + "/*", READ),
      new Grant(CONFIG + "/*/*", READ),
      new Grant(ELECTIONS, READ | CREATE),
      new Grant(ELECTIONS + "/*", READ | CREATE | DELETE),
      new Grant(ELECTIONS + "/*/*", READ | WRITE),
      // Which replica set each gateway port forwards to: every agent's gateway reads them.
      new Grant(EXPOSED, READ),
      new Grant(EXPOSED + "/*", READ),
      // The elections agents hold for their ready copies (the local API): one ephemeral sequential znode per copy.
      new Grant(COPY_ELECTIONS, READ | CREATE),
      new Grant(COPY_ELECTIONS + "/*", READ | CREATE | DELETE),
      new Grant(COPY_ELECTIONS + "/*/*", READ | WRITE));

  /** One row of {@link #AGENT_GRANTS}: a path pattern under the root and the agents' permissions on it. */
  record Grant(String pattern, int permissions) {
    boolean matches(String[] segments) {
      String[] p = pattern.isEmpty() ? new String[0] : pattern.split("/");
      if (p.length != segments.length) {
        return false;
      }
      for (int i = 0; i < p.length; i++) {
        if (!p[i].equals("*") && !p[i].equals(segments[i])) {
          return false;
        }
      }
      return true;
    }
  }

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

  /** The parent of a replica set's revisions. */
  public String revisions(String name) {
    return replicaSet(name) + "/" + REVISIONS;
  }

  /** The template of revision {@code revision} of a replica set. */
  public String revision(String name, int revision) {
    if (revision < 1) {
      throw new IllegalArgumentException("not a revision: " + revision);
    }
    return revisions(name) + "/" + revision;
  }

  /** The rollout of a replica set, in progress or last done. */
  public String rollout(String name) {
    return replicaSet(name) + "/" + ROLLOUT;
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
    return elections() + "/" + segment(name);
  }

  /** The parent of every {@link #election}. */
  public String elections() {
    return root + "/" + ELECTIONS;
  }

  /**
   * The agents' ZooKeeper permissions on {@code path} ({@link #AGENT_GRANTS}); the root's ancestors count as the root,
   * any other path outside the root gets none.
   */
  public int agentPermissions(String path) {
    if (path == null) {
      return 0;
    }
    if (path.equals(root()) || (!root.isEmpty() && (root + "/").startsWith(path + "/") && path.startsWith("/"))) {
      return AGENT_GRANTS.get(0).permissions();
    }
    if (!path.startsWith(root + "/")) {
      return 0;
    }
    String[] segments = path.substring(root.length() + 1).split("/", -1);
    for (Grant g : AGENT_GRANTS) {
      if (g.matches(segments)) {
        return g.permissions();
      }
    }
    return 0;
  }

  /**
   * The API tokens. The znode itself is created once, with a cluster's first token, and never removed: its absence
   * is what tells a server that the cluster is new and needs an admin token.
   */
  public String tokens() {
    return root + "/" + TOKENS;
  }

  public String token(String id) {
    return tokens() + "/" + segment(id);
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

  /**
   * The election agents hold for the ready copies of one replica set (the local API's {@code /v1/leader}): one
   * ephemeral sequential znode per ready copy, in its agent's session. Apart from {@link #election} so that JVM
   * workers' latches and agents' participants never sort among each other.
   */
  public String copyElection(String name) {
    return copyElections() + "/" + segment(name);
  }

  /** The parent of every {@link #copyElection}. */
  public String copyElections() {
    return root + "/" + COPY_ELECTIONS;
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
      case CONFIG -> switch (s.length) {
        case 2 -> new ZkPath.Config(s[1]);
        case 3 -> new ZkPath.ConfigValue(s[1], s[2]);
        default -> new ZkPath.Other(path);
      };
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
    if (s.length == 3 && s[2].equals(ROLLOUT)) {
      return new ZkPath.Rollout(s[1]);
    }
    if (s.length == 3 && s[2].equals(REVISIONS)) {
      return new ZkPath.Revisions(s[1]);
    }
    if (s.length == 4 && s[2].equals(REVISIONS) && s[3].matches("[1-9][0-9]{0,8}")) {
      return new ZkPath.Revision(s[1], Integer.parseInt(s[3]));
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
