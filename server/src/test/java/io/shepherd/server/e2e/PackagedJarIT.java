package io.shepherd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.LoopbackPort;
import io.shepherd.server.testing.PackagedJar;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.Api;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, for real: the shaded jar with conf/shepherd.yml (embedded ZooKeeper, controller,
 * REST, local agent in one process) makes its first admin token in data/admin.token (mode 0600, the path logged,
 * never the secret), keeps copies alive for a caller with that token, stopping it stops them, and it serves its
 * metrics and the dashboard from the jar. Its ZooKeeper admits only the identities it generated, and {@code zk-acl}
 * finds nothing to change in the tree it made.
 */
class PackagedJarIT {
  private Process server;
  private final Path jar = PackagedJar.JAR;
  private final Path conf = PackagedJar.CONF;
  private int zkPort;

  @AfterEach
  void stopServer() throws Exception {
    Processes.stopWithDescendants(server);
  }

  private List<ProcessHandle> copiesWith(String marker) {
    return server.descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  /** Starts the jar as the README does, with free ports, in {@code workDir}; returns once it leads. */
  private Api start(Path workDir, int http, int agentPort) throws Exception {
    assertThat(jar).exists();
    zkPort = LoopbackPort.free();
    server = PackagedJar.start(workDir, http, zkPort, agentPort);

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
    return api;
  }

  @Test
  void theReadmeCommandRunsCopiesThatComeBackWhenKilledAndStopWithTheServer() throws Exception {
    Path workDir = Files.createTempDirectory("shepherd-jar");
    int http = LoopbackPort.free();
    Api api = start(workDir, http, LoopbackPort.free());
    assertThat(new File(workDir.toFile(), "data/zookeeper")).as("ZooKeeper data on disk under ./data").isDirectory();
    // The dashboard: its page at the root, its modules from the jar under /ui/.
    HttpClient http1 = HttpClient.newHttpClient();
    HttpResponse<String> page = http1.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/ui/app.js");
    HttpResponse<String> module = http1.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + http + "/ui/app.js")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(module.statusCode()).isEqualTo(200);
    assertThat(module.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");

    api.apply("web", ReplicaSetSpec.of(3, List.of("sleep", "3401")));
    await().atMost(Duration.ofSeconds(20)).until(() -> copiesWith("3401").size() == 3);

    ProcessHandle victim = copiesWith("3401").get(0);
    victim.destroyForcibly();
    // The agent records the new pid just after starting the process, so the process can be seen first.
    await().atMost(Duration.ofSeconds(10)).until(() -> !victim.isAlive() && copiesWith("3401").size() == 3
        && api.instances("web").size() == 3
        && api.instances("web").stream().noneMatch(i -> i.pid() == victim.pid()));
    assertThat(api.instances("web")).extracting(Instance::pid).doesNotContain(victim.pid());

    // ZooKeeper ACLs on the embedded default: generated identities, owner-only files, logged by path only.
    for (String who : List.of("server", "agent")) {
      Path secret = workDir.resolve("data/zookeeper-" + who + ".password");
      assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String log = Files.readString(workDir.resolve("server.log"));
      assertThat(log).contains(secret.getFileName().toString()).doesNotContain(Files.readString(secret).strip());
    }
    try (CuratorFramework anonymous = CuratorFrameworkFactory.newClient("127.0.0.1:" + zkPort, new RetryOneTime(100))) {
      anonymous.start();
      assertThatThrownBy(() -> anonymous.getData().forPath("/shepherd/replicasets/web"))
          .isInstanceOf(KeeperException.NoAuthException.class);
    }
    Process zkAcl = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Ddw.zookeeper.connect=127.0.0.1:" + zkPort, "-Ddw.embeddedZooKeeper.port=" + zkPort,
        "-jar", jar.toString(), "zk-acl", conf.toString())
        .directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(workDir.resolve("zk-acl.out").toFile()).start();
    assertThat(zkAcl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(zkAcl.exitValue()).as(Files.readString(workDir.resolve("zk-acl.out"))).isZero();
    assertThat(Files.readString(workDir.resolve("zk-acl.out"))).as("a tree the server made needs no change")
        .containsPattern("/shepherd: \\d+ znodes, 0 ACLs changed");

    List<ProcessHandle> copies = copiesWith("3401");
    server.destroy(); // SIGTERM: Dropwizard stops the agent, which stops its copies
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> copies.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void theJarServesTheServersAndItsAgentsPrometheusMetrics() throws Exception {
    int http = LoopbackPort.free();
    int agentPort = LoopbackPort.free();
    Path workDir = Files.createTempDirectory("shepherd-jar-metrics");
    Api api = start(workDir, http, agentPort);
    String token = Files.readString(workDir.resolve("data/admin.token")).strip();
    api.apply("scraped", ReplicaSetSpec.of(1, List.of("sleep", "3402")));
    await().atMost(Duration.ofSeconds(20)).until(() -> api.instances("scraped").size() == 1);
    HttpClient client = HttpClient.newHttpClient();

    HttpResponse<String> fromServer = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + http + "/metrics")).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> fromAgent = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + agentPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

    for (HttpResponse<String> r : List.of(fromServer, fromAgent)) {
      assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    }
    assertThat(fromServer.body()).contains("shepherd_replicaset_live{replicaset=\"scraped\"} 1")
        .contains("jvm_memory_used_bytes").contains("process_cpu_seconds_total");
    assertThat(fromAgent.body()).contains("shepherd_agent_copies{replicaset=\"scraped\"} 1")
        .as("the JVM's metrics once per process: the server reports them").doesNotContain("jvm_memory_used_bytes");
  }
}
