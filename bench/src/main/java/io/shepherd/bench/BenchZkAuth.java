package io.shepherd.bench;

import io.shepherd.worker.zk.ZkCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The ZooKeeper identities of the benchmarks, as docs/SECURITY.md sets them up: a server started from
 * {@code conf/shepherd.yml} authenticates as {@code shepherd-server} with a password file in the benchmark's work
 * directory (instead of the checkout's {@code ./data}) and admits {@link #AGENT}; an agent JVM authenticates as
 * {@link #AGENT}; the benchmark's own ZooKeeper sessions authenticate as the server, so that they may read what the
 * ACLs keep from anyone else.
 */
final class BenchZkAuth {
  static final ZkCredential SERVER = new ZkCredential("shepherd-server", "bench-server-secret");
  static final ZkCredential AGENT = new ZkCredential("bench-agent", "bench-agent-secret");

  private BenchZkAuth() {}

  /** Writes the server's password file under {@code dir}; returns it. */
  static Path serverPasswordFile(Path dir) {
    return secret(dir.resolve("zookeeper-server.password"), "bench-server-secret");
  }

  /** Writes the agent's password file under {@code dir}; returns it. */
  static Path agentPasswordFile(Path dir) {
    return secret(dir.resolve("zookeeper-agent.password"), "bench-agent-secret");
  }

  /** The {@code auth} and {@code acl} of an agent's YAML {@code zookeeper:} section, in flow style. */
  static String agentYaml(Path dir) {
    return "auth: {user: " + AGENT.user() + ", passwordFile: " + agentPasswordFile(dir) + "}, acl: {servers: ['digest:"
        + SERVER.id().getId() + "']}";
  }

  private static Path secret(Path file, String password) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, password + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
