package io.shepherd.server.testing;

import io.shepherd.worker.AgentMain;
import io.shepherd.worker.record.PortRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A node agent in its own JVM ({@code AgentMain agent <config.yml>}), as on a real host: it can be SIGKILLed, and its
 * copies then live on as orphans (no longer descendants of the test JVM: find them with
 * {@link Processes#withMarker}) until a next run of an agent with the same data directory stops them.
 * {@link #close()} asks it to stop (SIGTERM: it stops its copies), and kills it if it does not.
 */
public final class AgentJvm implements AutoCloseable {
  private final Process jvm;

  /** Starts an agent for {@code nodeId} with {@code dataDir}, its session timeout 4 s like {@link TestAgent}'s. */
  public AgentJvm(String connectString, String nodeId, Path dataDir) throws IOException {
    this(connectString, nodeId, dataDir, Duration.ofSeconds(4));
  }

  /**
   * An agent whose ZooKeeper session times out after {@code sessionTimeout}: a test that waits for the session of a
   * killed agent to expire waits that long.
   */
  public AgentJvm(String connectString, String nodeId, Path dataDir, Duration sessionTimeout) throws IOException {
    this(connectString, nodeId, dataDir, sessionTimeout, Optional.empty());
  }

  /**
   * An agent whose copies' ports come from {@code ports} (agents on one host need ranges apart; empty: the agent's
   * default range).
   */
  public AgentJvm(String connectString, String nodeId, Path dataDir, Duration sessionTimeout,
      Optional<PortRange> ports) throws IOException {
    Files.createDirectories(dataDir);
    Path dir = Files.createTempDirectory("shepherd-agent-jvm-" + nodeId);
    Path config = Files.writeString(dir.resolve("agent.yml"), String.join("\n",
        "zookeeper: {connect: '" + connectString + "', sessionTimeoutMs: " + sessionTimeout.toMillis()
            + ", connectionTimeoutMs: 2000, "
            + TestZkAuth.agentYaml() + "}",
        "agent:",
        "  nodeId: " + nodeId,
        "  host: 127.0.0.1",
        "  dataDir: " + dataDir,
        "  logs: {port: 0}",
        ports.map(p -> "  ports: {from: " + p.from() + ", to: " + p.to() + "}").orElse(""),
        ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.jvm = new ProcessBuilder(List.of(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "agent", config.toString()))
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile())
        .start();
  }

  public long pid() {
    return jvm.pid();
  }

  /** SIGKILL to the agent's JVM alone, as a crash would: its copies keep running. */
  public void sigkill() throws InterruptedException {
    jvm.destroyForcibly();
    if (!jvm.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("agent JVM " + jvm.pid() + " survived SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (!jvm.isAlive()) {
      return;
    }
    List<ProcessHandle> copies = jvm.descendants().toList();
    jvm.destroy();
    if (!jvm.waitFor(30, TimeUnit.SECONDS)) {
      jvm.destroyForcibly();
      jvm.waitFor(10, TimeUnit.SECONDS);
    }
    copies.forEach(ProcessHandle::destroyForcibly);
  }
}
