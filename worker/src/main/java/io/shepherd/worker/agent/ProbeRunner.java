package io.shepherd.worker.agent;

import io.shepherd.worker.agent.ProbeTracker.Result;
import io.shepherd.worker.record.ProbeRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one probe once and reports its {@link Result} on the {@link ProbeLoop}'s thread, never blocking it and never
 * holding a thread for the run: http and tcp with a {@link SocketProbe} on the loop's selector, exec as a child
 * process killed (with its descendants) on timeout. Every run reports exactly once, within its timeout, give or take
 * the timer's delay.
 */
final class ProbeRunner {
  private static final int MAX_OUTPUT = 200;
  private final ProbeLoop loop;

  ProbeRunner(ProbeLoop loop) {
    this.loop = loop;
  }

  /**
   * Runs {@code probe} against a copy with {@code ports} (name to port), {@code env} and {@code workingDir}, and
   * hands its result to {@code done} on the loop thread. Loop thread only.
   */
  void run(ProbeRecord probe, Map<String, Integer> ports, Map<String, String> env, Path workingDir,
      Consumer<Result> done) {
    try {
      if (probe.exec() != null) {
        exec(probe, ports, env, workingDir, done);
        return;
      }
      String portName = probe.http() != null ? probe.http().port() : probe.tcp() == null ? null : probe.tcp().port();
      Integer port = portName == null ? null : ports.get(portName);
      if (port == null) {
        done.accept(Result.fail("the copy has no port named " + portName));
      } else if (probe.http() != null) {
        SocketProbe.http(loop, port, probe.http().path(), probe.timeoutMs(), done);
      } else {
        SocketProbe.tcp(loop, port, probe.timeoutMs(), done);
      }
    } catch (RuntimeException e) {
      done.accept(Result.fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  private void exec(ProbeRecord probe, Map<String, Integer> ports, Map<String, String> env, Path workingDir,
      Consumer<Result> done) {
    Path output;
    Process process;
    try {
      output = Files.createTempFile("shepherd-probe-", ".out");
      ProcessBuilder builder = new ProcessBuilder(CopyPorts.argv(probe.exec().command(), ports))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      if (Files.isDirectory(workingDir)) {
        builder.directory(workingDir.toFile());
      }
      builder.environment().putAll(env);
      builder.environment().putAll(CopyPorts.environment(ports));
      process = builder.start();
    } catch (IOException e) {
      done.accept(Result.fail("cannot run " + probe.exec().command() + ": " + e.getMessage()));
      return;
    }
    // Both the deadline and the exit report on the loop thread, so the first one wins alone.
    boolean[] reported = new boolean[1];
    ProbeLoop.Timer deadline = loop.schedule(probe.timeoutMs(), () -> {
      if (!reported[0]) {
        reported[0] = true;
        done.accept(Result.fail("timed out after " + probe.timeoutMs() + " ms"));
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    });
    process.onExit().whenComplete((p, e) -> {
      String said = tail(output);
      delete(output);
      int code = process.exitValue();
      loop.execute(() -> {
        deadline.cancel();
        if (!reported[0]) {
          reported[0] = true;
          done.accept(code == 0 ? Result.pass("exit code 0" + said) : Result.fail("exit code " + code + said));
        }
      });
    });
  }

  private static String tail(Path output) {
    try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
      long length = file.length();
      int n = (int) Math.min(length, MAX_OUTPUT);
      byte[] bytes = new byte[n];
      file.seek(length - n);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("[\\x00-\\x1f]+", " ");
      return text.isEmpty() ? "" : ": " + text;
    } catch (IOException e) {
      return "";
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temporary file is harmless.
    }
  }
}
