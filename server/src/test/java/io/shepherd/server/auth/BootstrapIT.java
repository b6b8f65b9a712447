package io.shepherd.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Role;
import io.shepherd.server.testing.TestZkAuth;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A new cluster makes exactly one admin token, whichever of its servers starts first: two servers start at once on
 * an empty ZooKeeper, each with a token file of its own, and afterwards ZooKeeper holds one token and exactly one of
 * the files holds its secret (mode 0600). A cluster that has tokens makes none on a later start.
 */
class BootstrapIT {
  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  private static final Path DIR = tempDir();
  private static final ServerExtension FIRST = server("first");
  private static final ServerExtension SECOND = server("second");

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("shepherd-bootstrap");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ServerExtension server(String name) {
    return new ServerExtension(ZK::connectString,
        ConfigOverride.config("controller.serverId", name),
        ConfigOverride.config("auth.bootstrapTokenFile", DIR.resolve(name + "/admin.token").toString()))
        .withoutTestToken();
  }

  @AfterAll
  static void stopServers() {
    FIRST.stop();
    SECOND.stop();
  }

  private static List<TokenRecord> storedTokens() throws Exception {
    ZkLayout layout = ZkLayout.defaultLayout();
    try (CuratorFramework zk = TestZkAuth.serverClient(ZK.connectString(), new RetryOneTime(100))) {
      zk.start();
      zk.blockUntilConnected();
      List<TokenRecord> out = new ArrayList<>();
      for (String id : zk.getChildren().forPath(layout.tokens())) {
        out.add(RecordCodec.read(zk.getData().forPath(layout.token(id)), TokenRecord.class));
      }
      return out;
    }
  }

  private static List<Path> tokenFiles() throws Exception {
    try (var files = Files.walk(DIR)) {
      return files.filter(f -> f.getFileName().toString().equals("admin.token")).toList();
    }
  }

  @Test
  void twoServersStartingTogetherOnANewClusterMakeOneAdminTokenWrittenOnce() throws Exception {
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> start(FIRST));
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> start(SECOND));
    CompletableFuture.allOf(first, second).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> !tokenFiles().isEmpty());
    // Stopping a server waits for its bootstrap to settle, so both have decided by now.
    FIRST.stop();
    SECOND.stop();

    List<TokenRecord> tokens = storedTokens();
    assertThat(tokens).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("admin");
      assertThat(t.role()).isEqualTo(Role.ADMIN);
      assertThat(t.createdBy()).isEmpty();
    });
    List<Path> files = tokenFiles();
    assertThat(files).hasSize(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0)))).isEqualTo("rw-------");
    try (var leftovers = Files.walk(DIR)) {
      assertThat(leftovers.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList())
          .as("temporary files of the server that lost").isEmpty();
    }
    String secret = Files.readString(files.get(0)).strip();
    assertThat(TokenSecrets.matches(tokens.get(0), secret)).isTrue();

    // Started again, the cluster is not new: no new token, and the first one works on both servers.
    FIRST.start();
    SECOND.start();
    for (ServerExtension server : List.of(FIRST, SECOND)) {
      assertThat(new Api(server.baseUrl(), "Bearer " + secret).send("GET", "/tokens", null).statusCode())
          .isEqualTo(200);
      assertThat(new Api(server.baseUrl(), "").send("GET", "/tokens", null).statusCode()).isEqualTo(401);
    }
    FIRST.stop();
    SECOND.stop();
    assertThat(storedTokens()).containsExactlyElementsOf(tokens);
    assertThat(tokenFiles()).containsExactlyElementsOf(files);
  }

  private static void start(ServerExtension server) {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
