package io.shepherd.server.testing;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus' {@code promtool}: lints an exposition as Prometheus' authors would. */
public final class Promtool {
  /** What {@code promtool check metrics} said, and its exit code. */
  public record Lint(int exitCode, String output) {}

  private Promtool() {}

  /** Runs {@code promtool check metrics} on {@code exposition}: clean is exit code 0 and no output. */
  public static Lint checkMetrics(String exposition) throws Exception {
    return run(List.of("check", "metrics"), exposition);
  }

  /** Runs {@code promtool check config} on a Prometheus configuration file. */
  public static Lint checkConfig(Path config) throws Exception {
    return run(List.of("check", "config", config.toString()), "");
  }

  private static Lint run(List<String> args, String stdin) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(PrometheusServer.executable("promtool").toString());
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool " + args + " did not finish");
    }
    return new Lint(p.exitValue(), output);
  }
}
