package io.shepherd.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Shepherd server as a child JVM: the shaded jar ({@code target/shepherd-server.jar}, built by {@code package},
 * before failsafe runs) with {@code conf/cluster.yml} and {@code -Ddw.*} overrides, against the test's ZooKeeper.
 * It can be frozen with SIGSTOP and thawed with SIGCONT, like a JVM in a long GC pause or a suspended VM.
 * {@link #close()} thaws it if needed and stops it (SIGTERM, then SIGKILL); a shutdown hook does the same should the
 * test JVM exit first.
 */
public final class ServerProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final int port;
  private final Thread reaper;
  private boolean frozen;

  private ServerProcess(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
    this.reaper = new Thread(process::destroyForcibly, "reap-" + name);
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts {@code name} (its election id) against {@code zkConnect}, with {@code overrides} as extra
   * {@code key=value} configuration paths (each becomes {@code -Ddw.key=value}).
   */
  public static ServerProcess start(String name, String zkConnect, String... overrides) throws Exception {
    Path jar = Path.of("target", "shepherd-server.jar").toAbsolutePath();
    Path conf = Path.of("..", "conf", "cluster.yml").toAbsolutePath().normalize();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run through `mvn verify` (package builds it)");
    }
    TestTokens.seed(zkConnect);
    Path dir = Files.createTempDirectory("shepherd-" + name);
    int port = LoopbackPort.free();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Ddw.server.applicationConnectors[0].port=" + port,
        "-Ddw.server.adminConnectors[0].port=" + LoopbackPort.free(),
        "-Ddw.zookeeper.connect=" + zkConnect,
        "-Ddw.controller.serverId=" + name));
    TestZkAuth.serverOverrides().forEach(o -> command.add("-Ddw." + o));
    for (String o : overrides) {
      command.add("-Ddw." + o);
    }
    command.addAll(List.of("-jar", jar.toString(), "server", conf.toString()));
    Path log = dir.resolve("server.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ServerProcess(name, p, log, port);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Api api() {
    return new Api("http://127.0.0.1:" + port);
  }

  /** The server's base URL, for the SDK. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: the JVM dies at once, with its leader latch and session left for ZooKeeper to expire. */
  public synchronized void sigkill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server " + name + " survived SIGKILL");
    }
  }

  /** What the server has logged so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGSTOP: every thread of the JVM stops at once; its sockets stay open. */
  public synchronized void freeze() throws Exception {
    signal("-STOP");
    frozen = true;
  }

  /** SIGCONT. */
  public synchronized void thaw() throws Exception {
    signal("-CONT");
    frozen = false;
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
    }
  }

  @Override
  public synchronized void close() throws Exception {
    try {
      if (process.isAlive()) {
        if (frozen) {
          thaw();
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

}
