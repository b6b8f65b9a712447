package io.shepherd.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one line the benchmarks among the worker's tests print for a list of measurements in milliseconds: min, p50,
 * p90, p99 (nearest rank, no interpolation) and max.
 */
public final class LatencySummary {
  private LatencySummary() {}

  /** {@code what, N rounds: min …, p50 …, p90 …, p99 …, max …}. */
  public static String line(String what, List<Double> millis) {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return String.format("%s, %d rounds: min %.2f ms, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", what,
        sorted.size(), sorted.get(0), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
        sorted.get(sorted.size() - 1));
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
