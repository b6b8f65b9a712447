package io.shepherd.worker.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One probe as the agent runs it (the spec's {@code Probe}, copied into the assignment by the leader). Exactly one
 * of {@code exec}, {@code http}, {@code tcp} is set; the timings are in milliseconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeRecord(
    Exec exec, Http http, Tcp tcp,
    long initialDelayMs, long periodMs, long timeoutMs, int failureThreshold, int successThreshold) {

  /** Runs an argv; exit 0 passes. */
  public record Exec(List<String> command) {
    public Exec {
      command = List.copyOf(command);
    }
  }

  /** GETs {@code path} on the copy's port named {@code port}; 200-399 passes. */
  public record Http(String port, String path) {}

  /** Connects to the copy's port named {@code port}. */
  public record Tcp(String port) {}

  /** What it checks, for messages: {@code exec [test, -f, x]}, {@code http http:/healthz}, {@code tcp http}. */
  public String describe() {
    if (exec != null) {
      return "exec " + exec.command();
    }
    if (http != null) {
      return "http " + http.port() + ":" + http.path();
    }
    return "tcp " + (tcp == null ? "?" : tcp.port());
  }
}
