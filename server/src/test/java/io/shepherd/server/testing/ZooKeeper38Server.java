package io.shepherd.server.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper 3.8 server (Debian's package {@code zookeeper}) for a test class, where {@link ZooKeeperExtension}
 * would give the 3.9 of the test classpath: its own JVM, run from Debian's jars as {@code ZooKeeperServerMain}, on a
 * free port of 127.0.0.1, with a generated config, its data and its log in a temporary directory. Register it (as a
 * static field) with a lower {@code @Order} than any extension that connects to it, so that it outlives its clients
 * (without {@code @Order}, JUnit orders such fields by a hash of their names). {@link #close()} stops it (SIGTERM,
 * then SIGKILL) and deletes its data, keeping only the log.
 *
 * <p>Ticks of 200 ms, as {@link ZooKeeperExtension}'s, keep session expiry quick; a granted session lasts 400 ms to
 * 60 s. Only the {@code srvr} four-letter word is enabled, and the admin server is off, so nothing else listens.
 * Without Debian's jars a test that uses it fails, naming the package: CI installs it.
 */
public final class ZooKeeper38Server implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  /** Debian's ZooKeeper jar; its manifest's {@code Class-Path} names the jars it needs. */
  public static final Path JAR = Path.of(System.getProperty("zookeeper38.jar", "/usr/share/java/zookeeper.jar"));
  /** A logger binding for it (Debian's {@code libslf4j-java}, which the package depends on), if there. */
  private static final Path SLF4J_SIMPLE = JAR.resolveSibling("slf4j-simple.jar");
  private static final int TICK_MS = 200;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private Process process;
  private Path dir;
  private int port;
  private Srvr started;
  private Throwable failure;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  /** Starts the server once and waits until it answers {@code srvr}; a start that failed is not tried again. */
  public synchronized void start() throws Exception {
    if (failure != null) {
      throw new IllegalStateException("the ZooKeeper 3.8 server did not start", failure);
    }
    if (process != null) {
      return;
    }
    try {
      launch();
    } catch (Exception | AssertionError e) {
      failure = e;
      close();
      throw e;
    }
  }

  private void launch() throws Exception {
    if (!Files.isRegularFile(JAR)) {
      fail("ZooKeeper 3.8 is not installed: " + JAR + " is missing (Debian: apt-get install zookeeper, as .ci/run "
          + "does; elsewhere -Dzookeeper38.jar=): Shepherd is tested against a real ZooKeeper 3.8 server");
    }
    dir = Files.createTempDirectory("shepherd-zk38");
    Path data = Files.createDirectory(dir.resolve("data"));
    port = LoopbackPort.free();
    Path config = Files.writeString(dir.resolve("zoo.cfg"), config(data, port));
    String classpath = Files.isRegularFile(SLF4J_SIMPLE) ? JAR + ":" + SLF4J_SIMPLE : JAR.toString();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp", classpath,
        "org.apache.zookeeper.server.ZooKeeperServerMain", config.toString()))
        .redirectErrorStream(true)
        .redirectOutput(log().toFile())
        .start();
    awaitAnswer();
    if (!started.version().startsWith("3.8.")) {
      fail(JAR + " is ZooKeeper " + started.version() + ", not 3.8 (Debian 12's package zookeeper is 3.8)");
    }
  }

  /** The standalone server's {@code zoo.cfg}: loopback only, {@code srvr} allowed, no admin server. */
  private static String config(Path data, int port) {
    return String.join("\n",
        "tickTime=" + TICK_MS,
        "dataDir=" + data,
        "clientPort=" + port,
        "clientPortAddress=127.0.0.1",
        "maxClientCnxns=0",
        "maxSessionTimeout=60000",
        "4lw.commands.whitelist=srvr",
        "admin.enableServer=false",
        "");
  }

  private void awaitAnswer() throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("ZooKeeper 3.8 (" + JAR + ") exited with " + process.exitValue() + ": " + logText());
      }
      Optional<Srvr> answer = Srvr.ask(port);
      if (answer.isPresent()) {
        started = answer.get();
        return;
      }
      process.waitFor(100, TimeUnit.MILLISECONDS); // returns at once if it exits
    }
    fail("ZooKeeper 3.8 did not answer srvr on 127.0.0.1:" + port + " within " + START_TIMEOUT + ": " + logText());
  }

  /** {@code 127.0.0.1:port}; starts the server if the extension has not yet. */
  public String connectString() {
    try {
      start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the ZooKeeper 3.8 server", e);
    }
    return "127.0.0.1:" + port;
  }

  /** The server's answer to {@code srvr} now (its version, mode, node count). */
  public Srvr srvr() {
    return Srvr.ask(port)
        .orElseThrow(() -> new IllegalStateException("ZooKeeper 3.8 does not answer srvr: " + logText()));
  }

  /** The version the server gave when it started, from {@code srvr}: e.g. {@code 3.8.0-...}. */
  public String version() {
    return started.version();
  }

  /** Where the server logs; kept after {@link #close()}. */
  public Path log() {
    return dir.resolve("zookeeper.log");
  }

  /** What the server logged, for failure messages. */
  public String logText() {
    try {
      return dir == null ? "(not started)" : Files.readString(log());
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the server (SIGTERM, SIGKILL after 20 s) and deletes its data. Idempotent. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (dir != null) {
      deleteTree(dir.resolve("data"));
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path p : paths) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
