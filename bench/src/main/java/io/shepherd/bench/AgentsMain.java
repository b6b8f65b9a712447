package io.shepherd.bench;

import io.shepherd.worker.agent.AgentConfig;
import io.shepherd.worker.agent.LauncherMode;
import io.shepherd.worker.agent.NodeAgent;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;

/**
 * Many REGISTER_ONLY node agents in one JVM, each with its own ZooKeeper session (as separate hosts would have):
 * {@code java -cp shepherd-bench.jar io.shepherd.bench.AgentsMain connect=HOST:PORT prefix=a count=49
 * capacity=1000 sessionMs=6000 dir=/tmp/x labels=pool:a,role:b}. Prints {@code READY} once every agent is registered. SIGTERM closes
 * the sessions (the copies' instance znodes go with them); there are no processes to stop.
 */
public final class AgentsMain {
  private AgentsMain() {}

  public static void main(String[] args) throws Exception {
    java.util.Map<String, String> a = new java.util.HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    String connect = a.get("connect");
    String prefix = a.getOrDefault("prefix", "agent");
    int count = Integer.parseInt(a.getOrDefault("count", "1"));
    int capacity = Integer.parseInt(a.getOrDefault("capacity", "1000"));
    int sessionMs = Integer.parseInt(a.getOrDefault("sessionMs", "6000"));
    Path dir = Path.of(a.getOrDefault("dir", "agents"));
    java.util.Map<String, String> labels = new java.util.HashMap<>();
    for (String pair : a.getOrDefault("labels", "").split(",")) {
      if (!pair.isBlank()) {
        labels.put(pair.substring(0, pair.indexOf(':')), pair.substring(pair.indexOf(':') + 1));
      }
    }
    ZkSettings zk = new ZkSettings(connect, ZkLayout.DEFAULT_ROOT, Duration.ofMillis(sessionMs), Duration.ofSeconds(5));
    List<CuratorFramework> clients = new ArrayList<>();
    List<NodeAgent> agents = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = prefix + "-" + i;
      CuratorFramework client = ZkClients.newClient(zk);
      client.start();
      AgentConfig config = AgentConfig.builder(id, dir.resolve(id)).host("127.0.0.1").capacity(capacity)
          .labels(labels).launcher(LauncherMode.REGISTER_ONLY).noLogServer().build();
      NodeAgent agent = new NodeAgent(client, zk.layout(), config);
      agent.start();
      clients.add(client);
      agents.add(agent);
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      clients.forEach(CuratorFramework::close);
      stop.countDown();
    }));
    Bench.await(count + " agents registered", Duration.ofSeconds(120), 20,
        () -> agents.stream().allMatch(g -> g.registeredSession().isPresent()));
    System.out.println("READY " + count);
    System.out.flush();
    stop.await();
  }
}
