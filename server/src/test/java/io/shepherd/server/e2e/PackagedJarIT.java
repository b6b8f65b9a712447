package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, for real: the shaded jar with conf/shepherd.yml (embedded ZooKeeper, controller,
 * REST, local agent in one process) makes its first admin token in data/admin.token (mode 0600, the path logged,
 * never the secret), keeps copies alive for a caller with that token, and stopping it stops them.
 */
class PackagedJarIT {
  private Process server;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null && server.isAlive()) {
      List<ProcessHandle> copies = server.descendants().toList();
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      copies.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private List<ProcessHandle> copiesWith(String marker) {
    return server.descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  @Test
  void theReadmeCommandRunsCopiesThatComeBackWhenKilledAndStopWithTheServer() throws Exception {
    Path jar = Path.of("target", "shepherd-server.jar").toAbsolutePath();
    Path conf = Path.of("..", "conf", "shepherd.yml").toAbsolutePath().normalize();
    assertThat(jar).exists();
    Path workDir = Files.createTempDirectory("shepherd-jar");
    int http = freePort();
    int zkPort = freePort();
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Ddw.server.applicationConnectors[0].port=" + http,
        "-Ddw.server.adminConnectors[0].port=" + freePort(),
        "-Ddw.zookeeper.connect=127.0.0.1:" + zkPort,
        "-Ddw.embeddedZooKeeper.port=" + zkPort,
        "-Ddw.agent.logsPort=" + freePort(),
        "-jar", jar.toString(), "server", conf.toString());
    server = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(workDir.resolve("server.log").toFile()).start();

    Path tokenFile = workDir.resolve("data/admin.token");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tokenFile));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    String token = Files.readString(tokenFile).strip();
    assertThat(token).startsWith("shp_");
    String log = Files.readString(workDir.resolve("server.log"));
    assertThat(log).contains(tokenFile.toString()).doesNotContain(token.substring("shp_".length() + 17));

    Api anonymous = new Api("http://127.0.0.1:" + http, "");
    assertThat(anonymous.send("GET", "/leader", null).statusCode()).isEqualTo(401);
    Api api = new Api("http://127.0.0.1:" + http, "Bearer " + token);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.leader().isLeader());
    assertThat(new File(workDir.toFile(), "data/zookeeper")).as("ZooKeeper data on disk under ./data").isDirectory();

    api.apply("web", ReplicaSetSpec.of(3, List.of("sleep", "3401")));
    await().atMost(Duration.ofSeconds(20)).until(() -> copiesWith("3401").size() == 3);

    ProcessHandle victim = copiesWith("3401").get(0);
    victim.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !victim.isAlive() && copiesWith("3401").size() == 3
        && api.instances("web").size() == 3);
    assertThat(api.instances("web")).extracting(Instance::pid).doesNotContain(victim.pid());

    List<ProcessHandle> copies = copiesWith("3401");
    server.destroy(); // SIGTERM: Dropwizard stops the agent, which stops its copies
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> copies.stream().noneMatch(ProcessHandle::isAlive));
  }
}
