package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the agent's HTTP port serves the local API to copies: on itself, or with TLS on a loopback listener. */
class LogServerLocalApiTest {
  private static final HttpHandler LOCAL_API = exchange -> {
    byte[] body = "local api".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  };

  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AgentMetrics metrics = new AgentMetrics(List::of, () -> true);

  private LogServer server(LogServerConfig config) throws Exception {
    LogServer server = new LogServer(config, "ignored", new LogFiles(dir, 1024), id -> false, 1024, metrics::scrape,
        Optional.of(LOCAL_API));
    server.start();
    return server;
  }

  private String get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void withoutTlsCopiesUseTheAgentsPortItself() throws Exception {
    LogServer server = server(LogServerConfig.loopbackEphemeral());
    try {
      assertThat(server.localUrl()).isEqualTo("http://127.0.0.1:" + server.port());
      assertThat(get(server.localUrl() + "/v1/self")).isEqualTo("local api");
    } finally {
      server.close();
    }
  }

  @Test
  void withTlsCopiesGetAPlainLoopbackListenerOfTheirOwn() throws Exception {
    LogServer server = server(new LogServerConfig("127.0.0.1", 0,
        Optional.of(new LogServerConfig.Tls(SSLContext.getDefault(), true))));
    try {
      assertThat(server.localUrl()).startsWith("http://127.0.0.1:")
          .isNotEqualTo("http://127.0.0.1:" + server.port());
      assertThat(server.baseUrl()).startsWith("https://");
      assertThat(get(server.localUrl() + "/v1/self")).isEqualTo("local api");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(server.localUrl() + "/logs/i1")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as("only the local API is served there").isEqualTo(404);
    } finally {
      server.close();
    }
  }
}
