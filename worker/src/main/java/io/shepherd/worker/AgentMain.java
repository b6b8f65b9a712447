package io.shepherd.worker;

import io.shepherd.worker.agent.LaunchMechanism;
import io.shepherd.worker.agent.NodeAgent;
import io.shepherd.worker.zk.ZkClients;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar shepherd-worker.jar agent conf/agent.yml}: runs one node agent until the JVM is asked to stop
 * (SIGTERM, Ctrl-C), then closes it, which stops its copies.
 *
 * <p>Exit codes: 2 for a bad command line or configuration (one line on stderr naming the field, no stack trace),
 * 1 if the agent cannot start (its data directory or log port unusable).
 */
public final class AgentMain {
  static final int BAD_CONFIG = 2;
  static final int CANNOT_START = 1;
  private static final String USAGE = "usage: java -jar shepherd-worker.jar agent <config.yml>";

  private AgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    LaunchMechanism.preferVfork();
    // Before the first logger exists, which may be one of a library the configuration loads (ZooKeeper's digest of
    // zookeeper.auth): our defaults, unless the operator chose a configuration.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "shepherd-agent-logback.xml");
    }
    if (args.length != 2 || !args[0].equals("agent")) {
      System.err.println(USAGE);
      System.exit(BAD_CONFIG);
      return;
    }
    AgentConfigFile.Loaded config;
    try {
      config = AgentConfigFile.load(Path.of(args[1]), AgentMain::hostname);
    } catch (ConfigException e) {
      System.err.println("bad configuration: " + e.getMessage());
      System.exit(BAD_CONFIG);
      return;
    }
    Logger log = LoggerFactory.getLogger(AgentMain.class);
    CuratorFramework client = ZkClients.newClient(config.zookeeper());
    NodeAgent agent = new NodeAgent(client, config.zookeeper().layout(), config.agent());
    agent.includeJvmMetrics();
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        agent.close();
      } catch (Exception e) {
        log.error("closing the agent failed", e);
      } finally {
        client.close();
        closed.countDown();
      }
    }, "shepherd-agent-shutdown"));
    client.start();
    try {
      agent.start();
    } catch (Exception e) {
      System.err.println("cannot start the agent: " + e);
      System.exit(CANNOT_START);
      return;
    }
    log.info("agent {} running against {}{}; logs at {}", config.agent().nodeId(), config.zookeeper().connect(),
        config.zookeeper().root(), agent.logsUrl().orElse("(no log server)"));
    closed.await();
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
  }
}
