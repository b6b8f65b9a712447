package io.shepherd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes a benchmark starts (JVMs, supervisord). Each pid is appended to {@code -Dbench.pidfile} so that
 * the script's EXIT trap can stop what a killed harness left; a shutdown hook stops them all (SIGTERM, 5 s,
 * SIGKILL, descendants too).
 */
final class Children {
  private static final List<Process> STARTED = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Children::stopAll, "bench-children-stop"));
  }

  private Children() {}

  /** Starts {@code command} with stdout and stderr appended to {@code log}. */
  static Process start(List<String> command, Path log) {
    return start(command, log, Map.of());
  }

  static Process start(List<String> command, Path log, Map<String, String> env) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      b.environment().putAll(env);
      Process p = b.start();
      synchronized (STARTED) {
        STARTED.add(p);
      }
      String pidFile = System.getProperty("bench.pidfile");
      if (pidFile != null) {
        Files.writeString(Path.of(pidFile), p.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** A JVM running {@code mainClass} from the bench jar. */
  static Process benchJvm(String mainClass, List<String> jvmArgs, List<String> args, Path log) {
    List<String> cmd = new ArrayList<>(List.of(javaBin()));
    cmd.addAll(jvmArgs);
    // For profiling, e.g. -Dbench.benchJvmArgs=-XX:StartFlightRecording=filename=/tmp/a.jfr,settings=profile
    String extra = System.getProperty("bench.benchJvmArgs", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(List.of("-cp", Bench.benchJar().toString(), mainClass));
    cmd.addAll(args);
    return start(cmd, log);
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** SIGTERM, up to {@code graceMs} for it to end, then SIGKILL (to its descendants as well). */
  static void stop(Process p, long graceMs) {
    if (!p.isAlive()) {
      return;
    }
    List<ProcessHandle> descendants = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  static void stopAll() {
    List<Process> all;
    synchronized (STARTED) {
      all = new ArrayList<>(STARTED);
    }
    // Newest first: agents and servers before the ZooKeeper they talk to.
    for (int i = all.size() - 1; i >= 0; i--) {
      stop(all.get(i), 5_000);
    }
  }
}
