package io.shepherd.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** A distribution of measurements in milliseconds: nearest-rank percentiles, no interpolation. */
record Stats(int n, double min, double p50, double p90, double p99, double max, double mean) {
  static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    double sum = 0;
    for (double v : s) {
      sum += v;
    }
    return new Stats(s.size(), s.get(0), pct(s, 50), pct(s, 90), pct(s, 99), s.get(s.size() - 1), sum / s.size());
  }

  static double pct(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** The cells of one table row: n, min, p50, p90, p99, max, mean. */
  List<String> cells() {
    return List.of(Integer.toString(n), ms(min), ms(p50), ms(p90), ms(p99), ms(max), ms(mean));
  }

  static List<String> header() {
    return List.of("n", "min ms", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms");
  }

  static String ms(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  }
}
