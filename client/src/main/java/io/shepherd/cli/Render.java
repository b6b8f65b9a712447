package io.shepherd.cli;

import io.shepherd.api.Event;
import io.shepherd.api.ReplicaSetSummary;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How values look in tables and lines. */
final class Render {
  private Render() {}

  static String time(Instant instant) {
    return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** An argv as a person would type it: arguments with blanks or quotes are single-quoted. */
  static String command(List<String> argv) {
    if (argv == null) {
      return "-";
    }
    return argv.stream().map(arg -> arg.isEmpty() || !arg.matches("[A-Za-z0-9_@%+=:,./-]+")
        ? "'" + arg.replace("'", "'\\''") + "'" : arg).collect(Collectors.joining(" "));
  }

  static String labels(Map<String, String> labels) {
    return labels.isEmpty() ? "-" : new TreeMap<>(labels).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /** A copy's ports as {@code name=port,...}, in the spec's order; "-" when it has none. */
  /** A spec's probes on one line: {@code readiness http http:/ every 10000 ms}, or {@code -}. */
  static String probes(io.shepherd.api.ReplicaSetSpec spec) {
    List<String> parts = new java.util.ArrayList<>();
    probe("startup", spec.startup(), parts);
    probe("liveness", spec.liveness(), parts);
    probe("readiness", spec.readiness(), parts);
    return parts.isEmpty() ? "-" : String.join("; ", parts);
  }

  private static void probe(String kind, io.shepherd.api.Probe p, List<String> parts) {
    if (p == null) {
      return;
    }
    String what = p.exec() != null ? "exec " + command(p.exec().command())
        : p.http() != null ? "http " + p.http().port() + ":" + p.http().path()
        : p.tcp() != null ? "tcp " + p.tcp().port() : "?";
    parts.add(kind + " " + what + " every " + p.periodMs() + " ms");
  }

  static String ports(Map<String, Integer> ports) {
    return ports.isEmpty() ? "-" : ports.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /** One word for a set's condition: deleting, crash-looping, ready or progressing. */
  static String state(boolean deleting, int consecutiveFailures, int desired, int live, int pending) {
    if (deleting) {
      return "deleting";
    }
    if (consecutiveFailures > 0) {
      return "crash-looping (" + consecutiveFailures + " failures)";
    }
    return live == desired && pending == 0 ? "ready" : "progressing";
  }

  static String state(ReplicaSetSummary s) {
    return state(s.deleting(), s.consecutiveFailures(), s.desired(), s.live(), s.pending());
  }

  /** An event on one line: id, time, type, what it concerns, its message, and who caused it, when a request did. */
  static String event(Event e) {
    String subject = e.replicaSet().map(rs -> rs + e.instance().map(i -> "/" + i).orElse(""))
        .orElse(e.instance().orElse("-"));
    return String.format("%-8d  %s  %-19s  %s%s  %s%s", e.id(), time(e.time()), e.type(), subject,
        e.node().map(n -> " on " + n).orElse(""), e.message() == null ? "" : e.message(),
        e.by().map(by -> " (by " + by + ")").orElse("")).stripTrailing();
  }
}
