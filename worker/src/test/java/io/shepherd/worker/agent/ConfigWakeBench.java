package io.shepherd.worker.agent;

import io.shepherd.worker.LatencySummary;
import io.shepherd.worker.record.RecordCodec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures (not a test) how soon a copy waiting on its agent's local API hears of a configuration change: from the
 * start of the write of a value (what {@code PUT /api/v1/config/...} does in ZooKeeper) to the copy's long poll
 * ({@code GET /v1/config/{key}?index=N&wait=60s}) answering with it, over loopback HTTP, as a copy sees it. The agent
 * serves a copy's token only on connections from that copy's processes, so the poll is made by the copy itself, a
 * {@link CopyRelay}, which the bench asks over one more loopback hop (included in what is measured).
 * {@code java -cp <test classpath> io.shepherd.worker.agent.ConfigWakeBench [rounds]}.
 */
public final class ConfigWakeBench {
  private ConfigWakeBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path tmp = Files.createTempDirectory("config-wake");
    Path seen = tmp.resolve("env.json");
    List<Double> millis = new ArrayList<>();
    HttpClient http = HttpClient.newHttpClient();
    try (AgentTestKit kit = new AgentTestKit(tmp)) {
      kit.createReplicaSet(AgentTestKit.RS);
      kit.start(kit.config("bench").build());
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      kit.assign("bench", "c1", List.of("python3", "-c", CopyRelay.SCRIPT, seen.toString()), Map.of("http", port));
      kit.awaitRegistered("bench", "c1");
      org.awaitility.Awaitility.await().until(() -> Files.exists(seen));
      String token = RecordCodec.mapper().readTree(Files.readString(seen)).get("SHEPHERD_TOKEN").asText();
      String path = "/v1/config/colour";
      String key = kit.layout.configValue(AgentTestKit.RS, "colour");
      long index = Long.parseLong(http.send(CopyRelay.request(port, token, path), HttpResponse.BodyHandlers.ofString())
          .headers().firstValue(LocalApi.INDEX_HEADER).orElseThrow());
      for (int i = 1; i <= rounds; i++) {
        HttpRequest poll = CopyRelay.request(port, token, path + "?wait=60s&index=" + index);
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(poll, HttpResponse.BodyHandlers.ofString());
        // Let the poll reach the agent and wait there: what is measured starts at the write.
        TimeUnit.MILLISECONDS.sleep(50);
        long wrote = System.nanoTime();
        kit.controller.create().orSetData().creatingParentContainersIfNeeded()
            .forPath(key, ("v" + i).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = answer.get(30, TimeUnit.SECONDS);
        long answered = System.nanoTime();
        if (r.statusCode() != 200 || !r.body().contains("\"v" + i + "\"")) {
          throw new IllegalStateException("round " + i + ": " + r.statusCode() + " " + r.body());
        }
        millis.add((answered - wrote) / 1e6);
        index = Long.parseLong(r.headers().firstValue(LocalApi.INDEX_HEADER).orElseThrow());
      }
    }
    System.out.println(LatencySummary.line("config write -> long poll answered with the value", millis));
  }
}
