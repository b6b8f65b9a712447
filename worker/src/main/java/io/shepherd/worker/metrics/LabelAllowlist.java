package io.shepherd.worker.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The labels Shepherd's metrics may carry, checked on the text a scrape answers: a label outside the list (an
 * instance id, a pid, a node's address) would make one series per copy, which Prometheus' naming rules forbid and a
 * long-running cluster cannot afford. Shepherd's own metrics ({@code shepherd_*}) may carry only the labels of
 * {@link #SHEPHERD}; the JVM client's ({@code jvm_*}, {@code process_*}) only those it gives them, {@link #JVM}.
 */
public final class LabelAllowlist {
  /** The labels of {@code shepherd_*} metrics, {@code le} and {@code quantile} for histograms and summaries. */
  public static final Set<String> SHEPHERD =
      Set.of("replicaset", "scope", "state", "type", "kind", "le", "quantile");
  /**
   * The labels Prometheus' JVM client gives its {@code jvm_*} and {@code process_*} metrics: memory areas and pools,
   * collectors, thread states, and the runtime's name, vendor and version (on one {@code jvm_runtime_info} series).
   */
  public static final Set<String> JVM =
      Set.of("area", "pool", "gc", "state", "runtime", "vendor", "version", "le", "quantile");
  private static final Map<String, Set<String>> BY_PREFIX =
      Map.of("shepherd_", SHEPHERD, "jvm_", JVM, "process_", JVM);

  /** A label that a metric carries and may not. */
  public record Violation(String metric, String label) {}

  private LabelAllowlist() {}

  /**
   * Every label of {@code exposition} (Prometheus' text format) outside the list for its metric, in order; a metric
   * of no known prefix may carry no label at all.
   */
  public static List<Violation> violations(String exposition) {
    List<Violation> out = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      if (brace < 0 || (space >= 0 && space < brace)) {
        continue; // no labels
      }
      String metric = line.substring(0, brace);
      Set<String> allowed = BY_PREFIX.entrySet().stream().filter(e -> metric.startsWith(e.getKey()))
          .map(Map.Entry::getValue).findFirst().orElse(Set.of());
      for (String label : labelNames(line, brace + 1)) {
        if (!allowed.contains(label)) {
          out.add(new Violation(metric, label));
        }
      }
    }
    return out;
  }

  /** The names of the labels between {@code from} and the closing brace: {@code name="value",...}, values escaped. */
  static List<String> labelNames(String line, int from) {
    List<String> names = new ArrayList<>();
    int i = from;
    while (i < line.length() && line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        throw new IllegalArgumentException("not a label in: " + line);
      }
      names.add(line.substring(i, eq).trim());
      int j = eq + 2; // past ="
      while (j < line.length() && line.charAt(j) != '"') {
        j += line.charAt(j) == '\\' ? 2 : 1;
      }
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      }
    }
    return names;
  }
}
