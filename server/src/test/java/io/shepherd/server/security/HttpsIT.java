package io.shepherd.server.security;

import io.shepherd.server.testing.LoopbackPort;
import io.shepherd.server.testing.Processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.cli.ShepherdCli;
import io.shepherd.client.ShepherdClient;
import io.shepherd.client.TrustedCa;
import io.shepherd.client.UnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The tour over HTTPS: {@code tls-init} makes a CA and keystores, the packaged server runs
 * {@code conf/examples/https.yml} with them, the SDK and the CLI trusting that CA create and read a replica set whose
 * copies run, and the HTTPS port refuses plain HTTP and clients that do not trust the CA. The agent's port is HTTPS
 * too: the server fetches a copy's log presenting its certificate; a client without one gets nothing.
 */
class HttpsIT {
  private Process server;

  @AfterEach
  void stopServer() throws Exception {
    Processes.stopWithDescendants(server);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void theTourRunsOverHttpsForClientsThatTrustTheCaAndPlainHttpIsRefused() throws Exception {
    Path jar = Path.of("target", "shepherd-server.jar").toAbsolutePath();
    Path conf = Path.of("..", "conf", "examples", "https.yml").toAbsolutePath().normalize();
    Path workDir = Files.createTempDirectory("shepherd-https");

    Process init = new ProcessBuilder(java(), "-jar", jar.toString(), "tls-init", "--dir", "tls",
        "--server-host", "127.0.0.1", "--server-host", "localhost")
        .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(workDir.resolve("init.out").toFile())
        .start();
    assertThat(init.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(init.exitValue()).as(Files.readString(workDir.resolve("init.out"))).isZero();
    Path tls = workDir.resolve("tls");
    for (String secret : List.of("keystore.password", "server.p12", "agent.p12", "ca.p12")) {
      assertThat(Files.getPosixFilePermissions(tls.resolve(secret))).as(secret)
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    String password = Files.readString(tls.resolve("keystore.password")).strip();
    assertThat(Files.readString(workDir.resolve("init.out"))).doesNotContain(password);

    int https = LoopbackPort.free();
    int zk = LoopbackPort.free();
    List<String> command = new ArrayList<>(List.of(java(),
        "-Ddw.server.applicationConnectors[0].port=" + https,
        "-Ddw.server.adminConnectors[0].port=" + LoopbackPort.free(),
        "-Ddw.zookeeper.connect=127.0.0.1:" + zk,
        "-Ddw.embeddedZooKeeper.port=" + zk,
        "-Ddw.agent.logsPort=" + LoopbackPort.free(),
        "-jar", jar.toString(), "server", conf.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(workDir.resolve("server.log").toFile());
    pb.environment().put("SHEPHERD_TLS_PASSWORD", password);
    server = pb.start();
    String url = "https://127.0.0.1:" + https;
    Path ca = tls.resolve("ca.pem");
    Path tokenFile = workDir.resolve("data/admin.token");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tokenFile));
    String token = Files.readString(tokenFile).strip();

    try (ShepherdClient sdk = ShepherdClient.builder().server(url).caFile(ca).token(token).build()) {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> sdk.leader().leader().isPresent() && !sdk.nodes().isEmpty());
      sdk.apply("tls-tour", ReplicaSetSpec.of(2, List.of("sh", "-c", "echo hello over tls; exec sleep 3623")));
      await().atMost(Duration.ofSeconds(30)).until(() -> sdk.instances("tls-tour", false).size() == 2);
      assertThat(sdk.get("tls-tour").spec().command()).contains("echo hello over tls; exec sleep 3623");

      // The server fetches the log from the agent's HTTPS port, presenting its certificate.
      String copy = sdk.instances("tls-tour", false).get(0).id();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        try (InputStream log = sdk.logs("tls-tour", copy, OptionalInt.empty(), false)) {
          return new String(log.readAllBytes(), StandardCharsets.UTF_8).contains("hello over tls");
        }
      });
      String agentLogs = sdk.nodes().get(0).logsUrl().orElseThrow();
      assertThat(agentLogs).startsWith("https://127.0.0.1:");
      assertThat(status(HttpClient.newBuilder().sslContext(TrustedCa.sslContext(ca)), agentLogs + "/" + copy))
          .as("a client that trusts the CA but presents no certificate gets nothing from the agent").isEqualTo(-1);
      assertThat(status(HttpClient.newBuilder(), agentLogs.replace("https:", "http:") + "/" + copy))
          .as("nor does plain HTTP").isNotEqualTo(200);
    }

    CommandLine cli = ShepherdCli.commandLine(Map.of("SHEPHERD_SERVERS", url, "SHEPHERD_CA", ca.toString(),
        "SHEPHERD_TOKEN", token),
        new ByteArrayInputStream(new byte[0]));
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("get", "tls-tour")).isZero();
    assertThat(out.toString()).contains("tls-tour").contains("sleep");

    try (ShepherdClient untrusting = ShepherdClient.builder().server(url).token(token).build()) {
      assertThatThrownBy(untrusting::list).as("the JDK's own CAs do not vouch for this server")
          .isInstanceOf(UnavailableException.class);
    }
    assertThat(status(HttpClient.newBuilder(), "http://127.0.0.1:" + https + "/api/v1/replicasets"))
        .as("plain HTTP to the HTTPS port gets no answer, or an error").isNotEqualTo(200);
    assertThat(Files.readString(workDir.resolve("server.log"))).doesNotContain(password);
  }

  /** The status of a GET, or -1 if the connection fails. */
  private static int status(HttpClient.Builder client, String url) throws InterruptedException {
    HttpClient http = client.connectTimeout(Duration.ofSeconds(5)).build();
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }
}
