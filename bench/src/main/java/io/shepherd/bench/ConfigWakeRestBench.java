package io.shepherd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 11b: a configuration value set as a user sets it ({@code PUT /api/v1/config/{set}/{key}}, what
 * {@code shepherd config set} sends) → a copy's long poll of its agent's local API answering with it.
 *
 * <p>Shepherd runs as the README's default ({@code server conf/shepherd.yml}: embedded ZooKeeper, controller, REST
 * and the local agent in one JVM) with one replica set of one copy. Each round sends
 * {@code GET /v1/config/colour?index=N&wait=60s} as that copy, lets it reach the agent and wait (50 ms), then times
 * from the start of the REST {@code PUT} to the long poll's answer carrying the new value, over loopback HTTP. The
 * {@code PUT}'s own answer is timed too. The agent serves a copy's token only on connections from that copy's
 * processes, so the copy is a python3 relay ({@link #RELAY}) that makes the poll itself; the benchmark asks it over
 * one more loopback hop, which is measured too.
 *
 * <p>System properties: {@code rounds} (200), {@code bench.dir}.
 */
public final class ConfigWakeRestBench {
  /**
   * The copy: serves on {@code $PORT}; {@code GET /?path=P} asks {@code $SHEPHERD_AGENT_URL} + P with the copy's
   * token and answers with the agent's status, {@code X-Shepherd-Index} and body. Once listening it writes
   * {@code ok} to argv[1].
   */
  private static final String RELAY = String.join("\n",
      "import os, sys, urllib.error, urllib.parse, urllib.request",
      "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer",
      "class Relay(BaseHTTPRequestHandler):",
      "    def do_GET(self):",
      "        path = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)['path'][0]",
      "        req = urllib.request.Request(os.environ['SHEPHERD_AGENT_URL'] + path,",
      "                                     headers={'Authorization': 'Bearer ' + os.environ['SHEPHERD_TOKEN']})",
      "        index = None",
      "        try:",
      "            with urllib.request.urlopen(req, timeout=600) as r:",
      "                status, index, body = r.status, r.headers.get('X-Shepherd-Index'), r.read()",
      "        except urllib.error.HTTPError as e:",
      "            status, index, body = e.code, e.headers.get('X-Shepherd-Index'), e.read()",
      "        self.send_response(status)",
      "        if index: self.send_header('X-Shepherd-Index', index)",
      "        self.send_header('Content-Length', str(len(body)))",
      "        self.end_headers()",
      "        self.wfile.write(body)",
      "    def log_message(self, *args): pass",
      "server = ThreadingHTTPServer(('127.0.0.1', int(os.environ['PORT'])), Relay)",
      "open(sys.argv[1], 'w').write('ok')",
      "server.serve_forever()",
      "");

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
      Path seen = dir.resolve("copy-up.txt");
      String spec = new ObjectMapper().writeValueAsString(Map.of("replicas", 1,
          "ports", List.of(Map.of("name", "http")), "command", List.of("python3", "-c", RELAY, seen.toString())));
      var put = Bench.put(server.api() + "/replicasets/wake", spec);
      if (!Bench.ok(put)) {
        throw new IllegalStateException("cannot create the replica set: " + (put == null ? "no answer" : put.body()));
      }
      Bench.await("the copy", Duration.ofSeconds(60), 50, () -> Files.exists(seen));
      int port = new ObjectMapper().readTree(Bench.get(server.api() + "/replicasets/wake/instances").body())
          .get(0).get("ports").get("http").asInt();
      String url = "http://127.0.0.1:" + port + "/?path="
          + URLEncoder.encode("/v1/config/colour", StandardCharsets.UTF_8);
      HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      long index = Long.parseLong(first.headers().firstValue("X-Shepherd-Index").orElseThrow(
          () -> new IllegalStateException("no index header: " + first.headers().map())));
      for (int i = 1; i <= rounds; i++) {
        HttpRequest poll = HttpRequest.newBuilder(URI.create(url
            + URLEncoder.encode("?wait=60s&index=" + index, StandardCharsets.UTF_8))).build();
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
    Stats s = Stats.of(millis);
    System.out.printf("%s, %d rounds: min %.2f ms, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
        s.n(), s.min(), s.p50(), s.p90(), s.p99(), s.max());
  }
}
