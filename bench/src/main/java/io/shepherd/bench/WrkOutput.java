package io.shepherd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a {@code wrk --latency} run printed: requests per second, latency percentiles and errors. */
final class WrkOutput {
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern P50 = Pattern.compile("\\s50%\\s+([\\d.]+)(us|ms|s)");
  private static final Pattern P99 = Pattern.compile("\\s99%\\s+([\\d.]+)(us|ms|s)");
  private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: (.*)");

  private WrkOutput() {
  }

  /** Requests per second, or NaN when the output has none. */
  static double requestsPerSecond(String out) {
    Matcher m = RPS.matcher(out);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** The median latency in milliseconds, or NaN. */
  static double p50Millis(String out) {
    return millis(P50, out);
  }

  /** The 99th percentile latency in milliseconds, or NaN. */
  static double p99Millis(String out) {
    return millis(P99, out);
  }

  /** The error lines (non-2xx/3xx responses, socket errors) joined by "; ", or "0" when there are none. */
  static String errors(String out) {
    Matcher m = ERRORS.matcher(out);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group().trim());
    }
    return found.isEmpty() ? "0" : String.join("; ", found);
  }

  private static double millis(Pattern p, String text) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      return Double.NaN;
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
