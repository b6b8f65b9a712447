package io.shepherd.worker.agent;

import com.sun.net.httpserver.HttpExchange;
import io.shepherd.worker.record.RecordCodec;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** JSON answers of the agent's HTTP port: a body, or an error {@code {"code": N, "message": "..."}}. */
final class AgentJson {
  private AgentJson() {}

  static void ok(HttpExchange exchange, byte[] body, Optional<Long> index) throws IOException {
    index.ifPresent(i -> exchange.getResponseHeaders().set(LocalApi.INDEX_HEADER, Long.toString(i)));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  static void error(HttpExchange exchange, int code, String message) throws IOException {
    byte[] body = RecordCodec.write(Map.of("code", code, "message", message));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    exchange.getResponseBody().write(body);
  }
}
