package io.shepherd.worker.agent;

import static org.awaitility.Awaitility.await;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.LocalRestartPolicy;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.Probes;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkAccess;
import io.shepherd.worker.zk.ZkAcls;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkCredential;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * One in-process ZooKeeper, the agent's client, a separate "controller" client, and every agent and process a test
 * starts, all of which {@link #close()} stops.
 */
final class AgentTestKit implements AutoCloseable {
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(9);
  static final String RS = "web";

  final TestingServer server;
  final ZkLayout layout = ZkLayout.defaultLayout();
  final CuratorFramework agentClient;
  final CuratorFramework controller;
  final Path dataDir;
  private final List<NodeAgent> agents = new ArrayList<>();
  private final List<CuratorFramework> clients = new ArrayList<>();
  private final Set<ProcessHandle> processes = ConcurrentHashMap.newKeySet();

  static {
    org.awaitility.Awaitility.setDefaultTimeout(Duration.ofSeconds(20));
    org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
    org.awaitility.Awaitility.setDefaultPollDelay(Duration.ZERO);
  }

  /** The kit runs with ZooKeeper ACLs on: the agents authenticate as one identity, the "controller" as another. */
  static final ZkCredential SERVER = new ZkCredential("kit-server", "kit-server-secret");
  static final ZkCredential AGENT = new ZkCredential("kit-agent", "kit-agent-secret");
  static final ZkAccess SERVER_ACCESS = ZkAccess.server(Optional.of(SERVER), List.of(), List.of(AGENT.id()));
  static final ZkAccess AGENT_ACCESS = ZkAccess.agent(Optional.of(AGENT), List.of(SERVER.id()), List.of());

  AgentTestKit(Path dataDir) throws Exception {
    this.dataDir = dataDir;
    // tickTime 1 s: the server then grants session timeouts from 2 s to 20 s.
    this.server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 1000, -1), true);
    this.agentClient = newClient();
    this.controller = started(ZkClients.newClient(new ZkSettings(server.getConnectString(), ZkLayout.DEFAULT_ROOT,
        SESSION_TIMEOUT, Duration.ofSeconds(3), SERVER_ACCESS)));
    // What a server creates at its start: agents may create nothing at the top level.
    for (String parent : List.of(layout.nodes(), layout.assignments(), layout.replicaSets(), layout.config(),
        layout.elections(), layout.copyElections())) {
      controller.create().creatingParentsIfNeeded().forPath(parent);
    }
  }

  /** A new client with the agents' identity. */
  CuratorFramework newClient() throws InterruptedException {
    return started(ZkClients.newClient(new ZkSettings(server.getConnectString(), ZkLayout.DEFAULT_ROOT,
        SESSION_TIMEOUT, Duration.ofSeconds(3), AGENT_ACCESS)));
  }

  /** A client that gives up on an operation at once, so that writes fail while ZooKeeper is down. */
  CuratorFramework impatientClient() throws InterruptedException {
    return started(CuratorFrameworkFactory.builder().connectString(server.getConnectString())
        .sessionTimeoutMs((int) SESSION_TIMEOUT.toMillis()).connectionTimeoutMs(1000)
        .authorization(List.of(AGENT.authInfo())).aclProvider(new ZkAcls(layout, AGENT_ACCESS))
        .retryPolicy(new RetryNTimes(0, 0)).build());
  }

  private CuratorFramework started(CuratorFramework c) throws InterruptedException {
    c.start();
    clients.add(c);
    if (!c.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("no connection to the test ZooKeeper");
    }
    return c;
  }

  AgentConfig.Builder config(String nodeId) {
    return AgentConfig.builder(nodeId, dataDir.resolve(nodeId))
        .host("127.0.0.1")
        .logServer(LogServerConfig.loopbackEphemeral())
        .logRotateInterval(Duration.ofMillis(100))
        .resyncInterval(Duration.ofSeconds(2));
  }

  NodeAgent start(AgentConfig config) throws Exception {
    return start(new NodeAgent(agentClient, layout, config));
  }

  NodeAgent start(CuratorFramework client, AgentConfig config) throws Exception {
    return start(new NodeAgent(client, layout, config));
  }

  NodeAgent start(AgentConfig config, Launcher launcher) throws Exception {
    return start(new NodeAgent(agentClient, layout, config, launcher, Clock.systemUTC()));
  }

  private NodeAgent start(NodeAgent agent) throws Exception {
    agents.add(agent);
    agent.start();
    return agent;
  }

  void createReplicaSet(String rs) throws Exception {
    controller.create().orSetData().creatingParentsIfNeeded().forPath(layout.instances(rs));
  }

  void setEpoch(long epoch) throws Exception {
    controller.create().orSetData().creatingParentsIfNeeded()
        .forPath(layout.epoch(), Long.toString(epoch).getBytes(StandardCharsets.UTF_8));
  }

  /** Creates an ASSIGNED assignment as the leader would. */
  void assign(String nodeId, String id, List<String> command, long graceMs, OnPartition onPartition, long epoch)
      throws Exception {
    assign(nodeId, id, command, graceMs, onPartition, epoch, Map.of());
  }

  /** Creates an ASSIGNED assignment with the ports the leader picked, name to port. */
  void assign(String nodeId, String id, List<String> command, Map<String, Integer> ports) throws Exception {
    assign(nodeId, id, command, 10_000, OnPartition.KEEP_RUNNING, 0, ports);
  }

  /**
   * No restarts in place unless a test asks for them: the kit's copies that exit end as they did before local
   * restarts, which is what most agent tests look at.
   */
  static final LocalRestartPolicy NO_LOCAL_RESTARTS = new LocalRestartPolicy(0, null, null, null, null, null);

  /** Creates an ASSIGNED assignment with ports and probes. */
  void assign(String nodeId, String id, List<String> command, long graceMs, Map<String, Integer> ports,
      Probes probes) throws Exception {
    assign(nodeId, id, command, graceMs, OnPartition.KEEP_RUNNING, 0, ports, probes, NO_LOCAL_RESTARTS);
  }

  private void assign(String nodeId, String id, List<String> command, long graceMs, OnPartition onPartition,
      long epoch, Map<String, Integer> ports) throws Exception {
    assign(nodeId, id, command, graceMs, onPartition, epoch, ports, Probes.NONE, NO_LOCAL_RESTARTS);
  }

  /** Creates an ASSIGNED assignment with probes, whose copy its agent restarts in place as {@code restarts} says. */
  void assign(String nodeId, String id, List<String> command, long graceMs, Probes probes,
      LocalRestartPolicy restarts) throws Exception {
    assign(nodeId, id, command, graceMs, OnPartition.KEEP_RUNNING, 0, Map.of(), probes, restarts);
  }

  /** Creates an ASSIGNED assignment whose copy its agent restarts in place as {@code restarts} says. */
  void assign(String nodeId, String id, List<String> command, Map<String, Integer> ports,
      LocalRestartPolicy restarts) throws Exception {
    assign(nodeId, id, command, 10_000, OnPartition.KEEP_RUNNING, 0, ports, Probes.NONE, restarts);
  }

  private void assign(String nodeId, String id, List<String> command, long graceMs, OnPartition onPartition,
      long epoch, Map<String, Integer> ports, Probes probes, LocalRestartPolicy restarts) throws Exception {
    AssignmentRecord a = AssignmentRecord.assigned(id, RS, nodeId, command, Map.of("SHEPHERD_TEST", "yes"),
        Optional.empty(), graceMs, onPartition, 1, epoch, Instant.now(), ports).withProbes(probes)
        .withRestartPolicy(restarts);
    controller.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
        .forPath(layout.assignment(nodeId, id), RecordCodec.write(a));
  }

  void assign(String nodeId, String id, List<String> command) throws Exception {
    assign(nodeId, id, command, 10_000, OnPartition.KEEP_RUNNING, 0);
  }

  void unassign(String nodeId, String id) throws Exception {
    controller.delete().forPath(layout.assignment(nodeId, id));
  }

  Optional<AssignmentRecord> assignment(String nodeId, String id) throws Exception {
    try {
      return Optional.of(RecordCodec.read(controller.getData().forPath(layout.assignment(nodeId, id)),
          AssignmentRecord.class));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  Optional<Stat> instance(String id) throws Exception {
    return Optional.ofNullable(controller.checkExists().forPath(layout.instance(RS, id)));
  }

  /** Waits until the copy is RUNNING and registered, and returns its process (stopped by {@link #close}). */
  ProcessHandle awaitRegistered(String nodeId, String id) {
    await().until(() -> assignment(nodeId, id).map(a -> a.state() == AssignmentState.RUNNING).orElse(false)
        && instance(id).isPresent());
    return track(unchecked(() -> assignment(nodeId, id)).orElseThrow().pid());
  }

  ProcessHandle track(long pid) {
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
    processes.add(p);
    p.descendants().forEach(processes::add);
    return p;
  }

  static boolean alive(ProcessHandle p) {
    return p.isAlive();
  }

  @Override
  public void close() throws Exception {
    for (NodeAgent a : agents) {
      a.close();
    }
    for (ProcessHandle p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (CuratorFramework c : clients) {
      c.close();
    }
    server.close();
  }

  interface Call<T> {
    T call() throws Exception;
  }

  static <T> T unchecked(Call<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
