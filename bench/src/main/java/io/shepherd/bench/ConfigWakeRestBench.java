package io.shepherd.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 11b: a configuration value set as a user sets it ({@code PUT /api/v1/config/{set}/{key}}, what
 * {@code shepherd config set} sends) → a copy's long poll of its agent's local API answering with it.
 *
 * <p>Shepherd runs as the README's default ({@code server conf/shepherd.yml}: embedded ZooKeeper, controller, REST
 * and the local agent in one JVM) with one replica set of one copy ({@code sh}, which hands the benchmark its
 * {@code SHEPHERD_AGENT_URL} and {@code SHEPHERD_TOKEN}). Each round sends
 * {@code GET /v1/config/colour?index=N&wait=60s} as that copy, lets it reach the agent and wait (50 ms), then times
 * from the start of the REST {@code PUT} to the long poll's answer carrying the new value, over loopback HTTP. The
 * {@code PUT}'s own answer is timed too.
 *
 * <p>System properties: {@code rounds} (200), {@code bench.dir}.
 */
public final class ConfigWakeRestBench {
  private ConfigWakeRestBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = Bench.intArg("rounds", 200);
    Path dir = Bench.workDir("config-wake-rest");
    Bench.log("benchmark 11b: REST PUT of a config value -> a copy's long poll; %d rounds; load %s; dir %s", rounds,
        Bench.loadAverage(), dir);
    ServerProcess server = ServerProcess.embeddedDefault(dir, Bench.freePort())
        .set("agent.dataDir", dir.resolve("agent"))
        .set("agent.logsPort", 0)
        .set("agent.gateway.enabled", false)
        .build().start().awaitUp(Duration.ofSeconds(120));
    List<Double> woke = new ArrayList<>();
    List<Double> putAnswered = new ArrayList<>();
    HttpClient http = HttpClient.newHttpClient();
    try {
      Bench.await("the server to lead", Duration.ofSeconds(60), 50, server::leads);
      Path seen = dir.resolve("copy-env.txt");
      String spec = """
          {"replicas": 1,
           "command": ["sh", "-c", "printf '%%s %%s' \\"$SHEPHERD_AGENT_URL\\" \\"$SHEPHERD_TOKEN\\" > \\"$0.tmp\\" \
          && mv \\"$0.tmp\\" \\"$0\\"; exec sleep 3600", "%s"]}""".formatted(seen);
      var put = Bench.put(server.api() + "/replicasets/wake", spec);
      if (!Bench.ok(put)) {
        throw new IllegalStateException("cannot create the replica set: " + (put == null ? "no answer" : put.body()));
      }
      Bench.await("the copy's environment", Duration.ofSeconds(60), 50, () -> Files.exists(seen));
      String[] env = Files.readString(seen).split(" ");
      String url = env[0] + "/v1/config/colour";
      String copyToken = env[1];
      HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + copyToken).build(), HttpResponse.BodyHandlers.ofString());
      long index = Long.parseLong(first.headers().firstValue("X-Shepherd-Index").orElseThrow(
          () -> new IllegalStateException("no index header: " + first.headers().map())));
      for (int i = 1; i <= rounds; i++) {
        HttpRequest poll = HttpRequest.newBuilder(URI.create(url + "?wait=60s&index=" + index))
            .header("Authorization", "Bearer " + copyToken).build();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(poll, HttpResponse.BodyHandlers.ofString());
        // Let the poll reach the agent and wait there: what is measured starts at the PUT.
        TimeUnit.MILLISECONDS.sleep(50);
        long sent = System.nanoTime();
        var set = Bench.put(server.api() + "/config/wake/colour", "{\"value\": \"v" + i + "\"}");
        long setAnswered = System.nanoTime();
        if (!Bench.ok(set)) {
          throw new IllegalStateException("round " + i + ": PUT " + (set == null ? "no answer" : set.body()));
        }
        HttpResponse<String> r = answer.get(30, TimeUnit.SECONDS);
        long answered = System.nanoTime();
        if (r.statusCode() != 200 || !r.body().contains("\"v" + i + "\"")) {
          throw new IllegalStateException("round " + i + ": " + r.statusCode() + " " + r.body());
        }
        woke.add(Bench.ms(answered - sent));
        putAnswered.add(Bench.ms(setAnswered - sent));
        index = Long.parseLong(r.headers().firstValue("X-Shepherd-Index").orElseThrow());
      }
    } finally {
      server.stop();
    }
    report("REST PUT sent -> the copy's long poll answered with the value", woke);
    report("REST PUT sent -> the PUT answered", putAnswered);
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    Children.stopAll();
  }

  private static void report(String what, List<Double> millis) {
    Collections.sort(millis);
    System.out.printf("%s, %d rounds: min %.2f ms, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
        millis.size(), millis.get(0), pct(millis, 50), pct(millis, 90), pct(millis, 99),
        millis.get(millis.size() - 1));
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
