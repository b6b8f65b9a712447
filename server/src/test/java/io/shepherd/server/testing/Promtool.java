package io.shepherd.server.testing;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus' {@code promtool}: lints an exposition as Prometheus' authors would. */
public final class Promtool {
  /** What {@code promtool check metrics} said, and its exit code. */
  public record Lint(int exitCode, String output) {}

  private Promtool() {}

  /** Runs {@code promtool check metrics} on {@code exposition}: clean is exit code 0 and no output. */
  public static Lint checkMetrics(String exposition) throws Exception {
    Process p = new ProcessBuilder(List.of(PrometheusServer.executable("promtool").toString(), "check", "metrics"))
        .redirectErrorStream(true)
        .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool check metrics did not finish");
    }
    return new Lint(p.exitValue(), output);
  }
}
