package io.shepherd.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 10: HTTP through the agent's gateway against the same copy directly, under {@code wrk}, on loopback.
 *
 * <p>Shepherd runs as the README's default ({@code server conf/shepherd.yml}, its agent launching real processes)
 * with one replica set: {@code copies} copies of {@link HelloServer} (the JDK's HTTP server answering a 17-byte body,
 * keep-alive, TCP_NODELAY), exposed on a gateway port. Each mode is measured {@code runs} times for {@code seconds} each, gateway and
 * direct alternating so that both see the same machine load: {@code wrk -t<threads> -c<connections> --latency}
 * against the copy's own port and against the exposed port. Two kinds of traffic: keep-alive (the gateway relays
 * bytes on long connections) and one connection per request ({@code Connection: close}: every request is a new
 * connection the gateway accepts and opens to a copy; wrk counts each connection the server closes as a read error,
 * so that column is not a failure count there). With one copy (the default) direct and gateway reach the same
 * process, so the difference is what the gateway adds.
 *
 * <p>System properties: {@code copies} (1), {@code threads} (2), {@code connections} (16), {@code seconds} (10),
 * {@code warmupSeconds} (5), {@code runs} (3), {@code bench.dir}.
 */
public final class GatewayBench {
  private GatewayBench() {}

  public static void main(String[] args) throws Exception {
    int copies = Bench.intArg("copies", 1);
    int threads = Bench.intArg("threads", 2);
    int connections = Bench.intArg("connections", 16);
    int seconds = Bench.intArg("seconds", 10);
    int warmup = Bench.intArg("warmupSeconds", 5);
    int runs = Bench.intArg("runs", 3);
    Path dir = Bench.workDir("gateway");
    int exposed = Bench.freePort();
    Bench.log("benchmark 10: gateway vs direct; %d copies; wrk -t%d -c%d -d%ds x %d runs; load %s; dir %s", copies,
        threads, connections, seconds, runs, Bench.loadAverage(), dir);
    int zkPort = Bench.freePort();
    ServerProcess server = ServerProcess.embeddedDefault(dir, zkPort)
        .set("agent.dataDir", dir.resolve("agent"))
        .set("agent.logsPort", 0)
        .set("agent.gateway.bindHost", "127.0.0.1")
        .build().start().awaitUp(Duration.ofSeconds(120));
    Table t = new Table(List.of("traffic", "path", "run", "requests/s", "p50 ms", "p99 ms", "errors"));
    List<String> summary = new ArrayList<>();
    try {
      Bench.await("the server to lead", Duration.ofSeconds(60), 50, server::leads);
      String spec = """
          {"replicas": %d,
           "command": ["%s", "-Xmx64m", "-XX:+UseSerialGC", "-Dsun.net.httpserver.nodelay=true", "-cp", "%s",
                       "io.shepherd.bench.HelloServer", "${PORT}"],
           "ports": [{"name": "http"}],
           "readiness": {"http": {"port": "http", "path": "/hello.txt"}, "periodMs": 500},
           "stopGraceMs": 2000,
           "expose": {"port": %d, "targetPort": "http"}}""".formatted(copies, Children.javaBin(), Bench.benchJar(),
          exposed);
      var put = Bench.put(server.api() + "/replicasets/web", spec);
      if (!Bench.ok(put)) {
        throw new IllegalStateException("cannot create the replica set: " + put.body());
      }
      Bench.await(copies + " ready copies", Duration.ofSeconds(120), 200, () -> {
        var r = Bench.get(server.api() + "/replicasets/web/instances?ready=true");
        return Bench.ok(r) && Bench.count(r.body(), "\"http\":") == copies;
      });
      String instances = Bench.get(server.api() + "/replicasets/web/instances?ready=true").body();
      Matcher port = Pattern.compile("\"http\":(\\d+)").matcher(instances);
      if (!port.find()) {
        throw new IllegalStateException("no port in " + instances);
      }
      String direct = "http://127.0.0.1:" + port.group(1) + "/hello.txt";
      String gateway = "http://127.0.0.1:" + exposed + "/hello.txt";
      Bench.await("the gateway to answer", Duration.ofSeconds(60), 100, () -> Bench.ok(Bench.get(gateway)));
      for (boolean keepAlive : List.of(true, false)) {
        String traffic = keepAlive ? "keep-alive" : "connection per request";
        wrk(threads, connections, warmup, direct, keepAlive, dir);
        wrk(threads, connections, warmup, gateway, keepAlive, dir);
        double[][] rps = new double[2][runs];
        double[][] p50 = new double[2][runs];
        for (int run = 0; run < runs; run++) {
          for (int path = 0; path < 2; path++) {
            String url = path == 0 ? direct : gateway;
            String out = wrk(threads, connections, seconds, url, keepAlive, dir);
            rps[path][run] = WrkOutput.requestsPerSecond(out);
            p50[path][run] = WrkOutput.p50Millis(out);
            t.row(List.of(traffic, path == 0 ? "direct" : "gateway", Integer.toString(run + 1),
                String.format(Locale.ROOT, "%.0f", rps[path][run]), Stats.ms(p50[path][run]),
                Stats.ms(WrkOutput.p99Millis(out)), WrkOutput.errors(out)));
            Bench.log("%s %s run %d: %.0f requests/s, p50 %.2f ms", traffic, path == 0 ? "direct" : "gateway",
                run + 1, rps[path][run], p50[path][run]);
          }
        }
        summary.add(String.format(Locale.ROOT,
            "%s: direct %.0f requests/s (median of runs), gateway %.0f (%.0f%%); p50 added by the gateway %.2f ms",
            traffic, median(rps[0]), median(rps[1]), 100 * median(rps[1]) / median(rps[0]),
            median(p50[1]) - median(p50[0])));
      }
    } finally {
      server.stop();
    }
    System.out.println();
    System.out.print(t.render());
    summary.forEach(System.out::println);
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    Children.stopAll();
  }

  private static String wrk(int threads, int connections, int seconds, String url, boolean keepAlive, Path dir)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
        "--latency", "--timeout", "5s"));
    if (!keepAlive) {
      cmd.addAll(List.of("-H", "Connection: close"));
    }
    cmd.add(url);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(seconds + 30L, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new java.io.IOException("wrk failed: " + out);
    }
    Files.writeString(dir.resolve("wrk.log"), String.join(" ", cmd) + "\n" + out + "\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return out;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }
}
