package io.shepherd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 5: REST reads under {@code wrk}, on loopback.
 *
 * <p>Shepherd runs as the README's default ({@code server conf/shepherd.yml}) with its local agent REGISTER_ONLY
 * (the copies register without processes: the API reads the same state either way), holding {@code sets} replica
 * sets of {@code copies} copies. Each endpoint is warmed up for {@code warmupSeconds}, then measured {@code runs}
 * times for {@code seconds} each: {@code wrk -t<threads> -c<connections> -d<seconds>s --latency URL}. Besides wrk's
 * figures, the server's CPU time per request (user + system, from {@code /proc/<pid>/stat}) is reported: unlike
 * requests/s it hardly depends on what else the machine is doing. {@code GET /api/v1/leader} (a few dozen bytes,
 * no read model) is measured too, as the floor set by Jetty, Jersey, Jackson and Dropwizard's per-request metrics.
 *
 * <p>System properties: {@code sets} (100), {@code copies} (5), {@code threads} (2), {@code connections} (16),
 * {@code seconds} (15), {@code warmupSeconds} (10), {@code runs} (3), {@code bench.dir}.
 */
public final class RestBench {
  private RestBench() {}

  public static void main(String[] args) throws Exception {
    int sets = Bench.intArg("sets", 100);
    int copies = Bench.intArg("copies", 5);
    int threads = Bench.intArg("threads", 2);
    int connections = Bench.intArg("connections", 16);
    int seconds = Bench.intArg("seconds", 15);
    int warmup = Bench.intArg("warmupSeconds", 10);
    int runs = Bench.intArg("runs", 3);
    Path dir = Bench.workDir("rest");
    Bench.log("benchmark 5: REST reads; %d sets x %d copies; wrk -t%d -c%d -d%ds x %d runs; load %s; dir %s", sets,
        copies, threads, connections, seconds, runs, Bench.loadAverage(), dir);
    int zkPort = Bench.freePort();
    ServerProcess server = ServerProcess.embeddedDefault(dir, zkPort)
        .set("agent.dataDir", dir.resolve("agent"))
        .set("agent.logsPort", 0)
        .set("agent.launcher", "REGISTER_ONLY")
        .set("agent.capacity", Math.max(1000, sets * copies))
        .build().start().awaitUp(Duration.ofSeconds(120));
    Table t = new Table(List.of("endpoint", "run", "requests/s", "p50 ms", "p99 ms", "server CPU us/request",
        "errors"));
    List<double[]> summary = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try {
      Bench.await("the server to lead", Duration.ofSeconds(60), 50, server::leads);
      for (int i = 0; i < sets; i++) {
        var r = Bench.put(server.api() + "/replicasets/set-" + i,
            "{\"replicas\": " + copies + ", \"command\": [\"sleep\", \"100000\"]}");
        if (!Bench.ok(r)) {
          throw new IllegalStateException("cannot create set-" + i);
        }
      }
      Bench.await(sets * copies + " copies registered", Duration.ofSeconds(300), 200, () -> {
        var r = Bench.get(server.api() + "/replicasets");
        return Bench.ok(r) && Bench.count(r.body(), "\"live\":" + copies + ",") == sets;
      });
      var list = Bench.get(server.api() + "/replicasets");
      var one = Bench.get(server.api() + "/replicasets/set-0");
      Bench.log("GET /replicasets is %d bytes; GET /replicasets/set-0 is %d bytes", list.body().length(),
          one.body().length());
      // /leader: a tiny response that reads almost nothing of Shepherd's state, the framework's floor for comparison.
      for (String path : List.of("/replicasets", "/replicasets/set-0", "/leader")) {
        String url = server.api() + path;
        wrk(threads, connections, warmup, url, dir);
        double[] rps = new double[runs];
        double[] p99 = new double[runs];
        for (int run = 0; run < runs; run++) {
          long cpu0 = cpuMillis(server.pid());
          String out = wrk(threads, connections, seconds, url, dir);
          long cpu = cpuMillis(server.pid()) - cpu0;
          rps[run] = WrkOutput.requestsPerSecond(out);
          p99[run] = WrkOutput.p99Millis(out);
          double usPerRequest = 1000.0 * cpu / (rps[run] * seconds);
          t.row(List.of("GET /api/v1" + path, Integer.toString(run + 1), String.format(Locale.ROOT, "%.0f", rps[run]),
              Stats.ms(WrkOutput.p50Millis(out)), Stats.ms(p99[run]), String.format(Locale.ROOT, "%.0f", usPerRequest),
              WrkOutput.errors(out)));
          Bench.log("GET %s run %d: %.0f requests/s, p99 %.2f ms, server CPU %.0f us/request", path, run + 1,
              rps[run], p99[run], usPerRequest);
        }
        summary.add(new double[] {min(rps), max(rps), min(p99), max(p99)});
        names.add("GET /api/v1" + path);
      }
    } finally {
      server.stop();
    }
    System.out.println();
    System.out.print(t.render());
    for (int i = 0; i < names.size(); i++) {
      double[] s = summary.get(i);
      System.out.printf(Locale.ROOT, "%s: %.0f..%.0f requests/s, p99 %.2f..%.2f ms; goal >= 15000/s with p99 <= 10 ms:"
          + " %s%n", names.get(i), s[0], s[1], s[2], s[3], s[0] >= 15_000 && s[3] <= 10 ? "met" : "MISSED");
    }
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    Children.stopAll();
  }

  private static String wrk(int threads, int connections, int seconds, String url, Path dir) throws Exception {
    Process p = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
        "--timeout", "5s", "-H", "Authorization: " + Bench.authorization(), url).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds + 30L, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("wrk failed: " + out);
    }
    java.nio.file.Files.writeString(dir.resolve("wrk.log"), url + "\n" + out + "\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return out;
  }

  /** User plus system CPU time of a process, from /proc (clock ticks of 10 ms). */
  static long cpuMillis(long pid) throws IOException {
    String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  private static double min(double[] v) {
    return java.util.Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return java.util.Arrays.stream(v).max().orElse(Double.NaN);
  }
}
