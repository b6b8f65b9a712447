package io.shepherd.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Shepherd server JVM, started exactly as the README says ({@code java -jar server/target/shepherd-server.jar
 * server conf/...yml}), with only ports, data directories and the named settings overridden by {@code -Ddw.}
 * properties. Everything listens on 127.0.0.1.
 */
final class ServerProcess {
  final String name;
  final int port;
  final int adminPort;
  private final Path log;
  private final Path tokenFile;
  private final List<String> command;
  private Process process;

  private ServerProcess(String name, int port, int adminPort, Path log, Path tokenFile, List<String> command) {
    this.tokenFile = tokenFile;
    this.name = name;
    this.port = port;
    this.adminPort = adminPort;
    this.log = log;
    this.command = command;
  }

  /** A builder of the {@code -Ddw.} overrides on top of {@code conf/<config>}. */
  static Builder builder(String name, String config, Path dir) {
    Builder b = new Builder(name, config, dir);
    if (config.equals("shepherd.yml")) {
      // Its ZooKeeper identity with a password the benchmark knows (BenchZkAuth), admitting the benchmark's agents.
      b.set("zookeeper.auth.passwordFile", BenchZkAuth.serverPasswordFile(dir))
          .set("zookeeper.acl.agents", "digest:" + BenchZkAuth.AGENT.id().getId());
    }
    return b;
  }

  /**
   * The README's one-process default ({@code conf/shepherd.yml}), its embedded ZooKeeper on {@code zkPort} with its
   * data under {@code dir/zookeeper}.
   */
  static Builder embeddedDefault(Path dir, int zkPort) {
    return builder("shepherd-server", "shepherd.yml", dir)
        .set("zookeeper.connect", "127.0.0.1:" + zkPort)
        .set("embeddedZooKeeper.port", zkPort)
        .set("embeddedZooKeeper.dataDir", dir.resolve("zookeeper"));
  }

  static final class Builder {
    private final String name;
    private final String config;
    private final Path dir;
    private final Map<String, String> dw = new LinkedHashMap<>();
    private final List<String> jvm = new ArrayList<>();

    private Builder(String name, String config, Path dir) {
      this.name = name;
      this.config = config;
      this.dir = dir;
    }

    Builder set(String key, Object value) {
      dw.put(key, String.valueOf(value));
      return this;
    }

    Builder jvm(String arg) {
      jvm.add(arg);
      return this;
    }

    ServerProcess build() {
      int port = Bench.freePort();
      int admin = Bench.freePort();
      List<String> cmd = new ArrayList<>(List.of(Children.javaBin()));
      cmd.addAll(jvm);
      // For profiling, e.g. -Dbench.serverJvmArgs=-XX:StartFlightRecording=filename=/tmp/s.jfr,settings=profile
      String extra = System.getProperty("bench.serverJvmArgs", "").trim();
      if (!extra.isEmpty()) {
        cmd.addAll(List.of(extra.replace("{name}", name).split("\\s+")));
      }
      Map<String, String> all = new LinkedHashMap<>();
      all.put("server.applicationConnectors[0].port", Integer.toString(port));
      all.put("server.adminConnectors[0].port", Integer.toString(admin));
      // Every server of a run shares the file: the first one of a new cluster writes its admin token there.
      all.put("auth.bootstrapTokenFile", dir.resolve("admin.token").toString());
      all.putAll(dw);
      // Experiments: -Dbench.dw.server.gzip.enabled=false becomes -Ddw.server.gzip.enabled=false on every server.
      System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.dw.")).sorted()
          .forEach(k -> all.put(k.substring("bench.dw.".length()), System.getProperty(k)));
      all.forEach((k, v) -> cmd.add("-Ddw." + k + "=" + v));
      cmd.addAll(List.of("-jar", Bench.serverJar().toString(), "server",
          Bench.home().resolve("conf").resolve(config).toString()));
      return new ServerProcess(name, port, admin, dir.resolve(name + ".log"), dir.resolve("admin.token"), cmd);
    }
  }

  ServerProcess start() {
    process = Children.start(command, log);
    return this;
  }

  /** The directory its log is in. */
  Path dir() {
    return log.getParent();
  }

  String api() {
    return "http://127.0.0.1:" + port + "/api/v1";
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Waits until the cluster's first admin token is in the run's token file, which the REST helpers then send
   * ({@link Bench#useToken}), and the REST API answers.
   */
  ServerProcess awaitUp(Duration timeout) throws InterruptedException {
    Bench.await(name + " to serve its API (log: " + log + ")", timeout, 50, () -> {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        Bench.useToken(java.nio.file.Files.readString(tokenFile).strip());
      } catch (java.io.IOException notYet) {
        return false; // a new cluster's first server writes it within moments
      }
      return Bench.ok(Bench.get(api() + "/leader"));
    });
    return this;
  }

  /** Whether this server says it leads (it has claimed its epoch). */
  boolean leads() {
    var r = Bench.get(api() + "/leader");
    return Bench.ok(r) && r.body().contains("\"isLeader\":true");
  }

  void stop() {
    if (process != null) {
      Children.stop(process, 15_000);
    }
  }
}
