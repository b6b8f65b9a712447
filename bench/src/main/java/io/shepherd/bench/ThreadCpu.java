package io.shepherd.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time per thread group of a process, from {@code /proc/<pid>/task/<tid>/stat} (user + system, 10 ms ticks):
 * sees what a Java sampler does not (JIT compiler and GC threads, the kernel's share). Threads are grouped by name
 * with digits folded ({@code C2 CompilerThre}, {@code GC Thread#}, ...).
 */
final class ThreadCpu {
  private ThreadCpu() {}

  static Map<String, Long> snapshot(long pid) {
    Map<String, Long> byGroup = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "#");
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byGroup.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
        } catch (IOException e) {
          // The thread ended between listing and reading.
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return byGroup;
  }

  /** The groups that used the most CPU between two snapshots, as "name ms" pairs. */
  static String top(Map<String, Long> before, Map<String, Long> after, int n) {
    List<Map.Entry<String, Long>> deltas = after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n).toList();
    return deltas.stream().map(e -> e.getKey() + " " + e.getValue() + " ms").collect(Collectors.joining(", "));
  }
}
