package io.shepherd.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A standalone ZooKeeper server in its own JVM ({@code org.apache.zookeeper.server.ZooKeeperServerMain
 * zoo.cfg}, the 3.9 server Shepherd is built with), its client port bound to 127.0.0.1, its AdminServer off.
 */
final class ZooKeeperProcess {
  final int port;
  final int tickMs;
  private final Process process;

  private ZooKeeperProcess(int port, int tickMs, Process process) {
    this.port = port;
    this.tickMs = tickMs;
    this.process = process;
  }

  static ZooKeeperProcess start(Path dir, int tickMs) throws Exception {
    int port = Bench.freePort();
    Path cfg = dir.resolve("zoo.cfg");
    java.nio.file.Files.createDirectories(dir.resolve("zookeeper"));
    java.nio.file.Files.writeString(cfg, String.join("\n",
        "tickTime=" + tickMs, "dataDir=" + dir.resolve("zookeeper"), "clientPort=" + port,
        "clientPortAddress=127.0.0.1", "maxClientCnxns=0", "admin.enableServer=false",
        // A small tick would otherwise cap session timeouts at 20 ticks (4 s for a 200 ms tick).
        "maxSessionTimeout=60000",
        "4lw.commands.whitelist=srvr,mntr", ""));
    Process p = Children.benchJvm("org.apache.zookeeper.server.ZooKeeperServerMain",
        List.of("-Dzookeeper.admin.enableServer=false", "-Xmx512m"), List.of(cfg.toString()),
        dir.resolve("zookeeper.log"));
    ZooKeeperProcess zk = new ZooKeeperProcess(port, tickMs, p);
    Bench.await("ZooKeeper on port " + port, Duration.ofSeconds(60), 50, () -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("ZooKeeper exited; see " + dir.resolve("zookeeper.log"));
      }
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        s.setSoTimeout(1_000); // a server still starting can take the connection and never answer: ask again
        s.getOutputStream().write("srvr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
            .contains("Mode:");
      } catch (java.io.IOException e) {
        return false;
      }
    });
    return zk;
  }

  String connect() {
    return "127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  void stop() {
    Children.stop(process, 5_000);
  }
}
