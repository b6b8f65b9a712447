package io.shepherd.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Re-plots saved samples (one number of milliseconds per line, as the benchmarks write them):
 * {@code java -cp shepherd-bench.jar io.shepherd.bench.PlotMain out.png "title" "x label" name=file.csv ...}.
 */
public final class PlotMain {
  private PlotMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, List<Double>> series = Plot.series();
    for (int i = 3; i < args.length; i++) {
      String name = args[i].substring(0, args[i].indexOf('='));
      Path file = Path.of(args[i].substring(args[i].indexOf('=') + 1));
      series.put(name, Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Double::parseDouble).toList());
    }
    Plot.cdf(Path.of(args[0]), args[1], args[2], series);
  }
}
