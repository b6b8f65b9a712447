package io.shepherd.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.shepherd.api.ETags;
import io.shepherd.api.ErrorMessage;
import io.shepherd.api.EventGap;
import io.shepherd.api.FieldError;
import io.shepherd.api.NewToken;
import io.shepherd.api.ShepherdJson;
import io.shepherd.api.TokenInfo;
import io.shepherd.api.TokenRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A fake Shepherd server for tests: the REST contract of {@code /api/v1} over a {@link FakeStore}, on the JDK's
 * HTTP server, on 127.0.0.1 and a free port. It records every request, and can be told to misbehave: answer
 * every request with one status, hang, cut event streams, resend old events, or keep streams silent.
 */
public final class FakeShepherdServer implements AutoCloseable {
  private volatile String requiredToken;
  private final Map<String, TokenInfo> tokens = new java.util.concurrent.ConcurrentSkipListMap<>();
  /** A request as the server received it. */
  public record Recorded(String method, String path, String query, Map<String, String> headers, String body) {
    /** {@code "PUT /api/v1/replicasets/web"}. */
    public String line() {
      return method + " " + path;
    }

    /** A request header, by its name in any case. */
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  static final ObjectMapper JSON = ShepherdJson.newMapper();

  private final FakeStore store;
  private final HttpServer http;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-shepherd");
    t.setDaemon(true);
    return t;
  });
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile int forcedStatus;
  private volatile boolean hanging;
  private volatile int cutStreamsAfter;
  private volatile long forgottenUpTo = -1;
  private volatile int replayOnResume;
  private volatile boolean silentStreams;
  private volatile boolean announcePosition;

  private FakeShepherdServer(FakeStore store) throws IOException {
    this.store = store;
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    this.http.setExecutor(executor);
    this.http.createContext("/", this::handle);
    this.http.start();
  }

  /** A server over a new, empty store. */
  public static FakeShepherdServer start() throws IOException {
    return new FakeShepherdServer(new FakeStore());
  }

  /** Another server of the same cluster: it shares this one's store. */
  public FakeShepherdServer peer() throws IOException {
    return new FakeShepherdServer(store);
  }

  public String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  public FakeStore store() {
    return store;
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** The request lines received, e.g. {@code "GET /api/v1/nodes"}. */
  public List<String> requestLines() {
    return requests.stream().map(Recorded::line).toList();
  }

  /** Answers every request with this status and an ErrorMessage; 0 to serve normally again. */
  public void answerAll(int status) {
    forcedStatus = status;
  }

  /** Receives requests and never answers them, until closed. */
  public void hang() {
    hanging = true;
  }

  /** Ends each event stream after it has sent this many events (0: never). */
  public void cutEventStreamsAfter(int events) {
    cutStreamsAfter = events;
  }

  /**
   * The event history no longer reaches back to {@code upTo}: a stream that resumes before it starts with a gap
   * frame and goes on after it, as a server whose bounded history evicted those events.
   */
  public void forgetEventsUpTo(long upTo) {
    forgottenUpTo = upTo;
  }

  /** On a resumed stream, sends again this many events the client already has, as a forgetful server would. */
  public void replayOnResume(int events) {
    replayOnResume = events;
  }

  /** Event streams answer 200 and then send nothing at all, not even keep-alives, as a vanished host does. */
  public void silentEventStreams() {
    silentStreams = true;
  }

  /** A stream opened without a position begins with an id-only frame naming the current last event id. */
  public void announcePosition() {
    announcePosition = true;
  }

  @Override
  public void close() {
    stopped.countDown();
    http.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
      Recorded request = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          exchange.getRequestURI().getRawQuery(), Map.copyOf(headers), body);
      requests.add(request);
      if (hanging) {
        stopped.await();
        return;
      }
      if (forcedStatus != 0) {
        error(exchange, forcedStatus, "forced failure " + forcedStatus, null);
        return;
      }
      if (requiredToken != null && !("Bearer " + requiredToken).equals(headers.get("authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"shepherd\"");
        error(exchange, 401, "a valid API token is required", null);
        return;
      }
      route(exchange, request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away; nothing to answer.
    }
  }

  private void route(HttpExchange ex, Recorded req) throws IOException, InterruptedException {
    String prefix = "/api/v1/";
    if (!req.path().startsWith(prefix)) {
      error(ex, 404, "no such path: " + req.path(), null);
      return;
    }
    List<String> p = List.of(req.path().substring(prefix.length()).split("/")).stream()
        .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
    Map<String, String> query = query(req.query());
    String m = req.method();
    switch (p.get(0)) {
      case "replicasets" -> new ReplicaSetRoutes(store, this).route(ex, req, m, p, query);
      case "nodes" -> json(ex, 200, store.nodes(), null);
      case "leader" -> json(ex, 200, store.leader(), null);
      case "whoami" -> json(ex, 200, store.caller(), null);
      case "events" -> events(ex, req, query);
      case "config" -> config(ex, req, m, p);
      case "tokens" -> tokens(ex, req, m, p);
      default -> error(ex, 404, "no such path: " + req.path(), null);
    }
  }

  /** Requests without {@code Authorization: Bearer <token>} get 401, as the real server answers them. */
  public void requireToken(String token) {
    this.requiredToken = token;
  }

  private void tokens(HttpExchange ex, Recorded req, String m, List<String> p) throws IOException {
    if (p.size() == 1 && m.equals("POST")) {
      TokenRequest asked = JSON.readValue(req.body(), TokenRequest.class);
      String id = String.format("%016d", tokens.size() + 1).replace('0', 'a');
      TokenInfo info = new TokenInfo(id, asked.name(), asked.role(), Instant.parse("2026-01-01T00:00:00Z"),
          Optional.of("admin"));
      tokens.put(id, info);
      json(ex, 201, new NewToken(info, "shp_" + id + "_" + "s".repeat(43)), null);
    } else if (p.size() == 1 && m.equals("GET")) {
      json(ex, 200, List.copyOf(tokens.values()), null);
    } else if (p.size() == 2 && m.equals("DELETE") && tokens.remove(p.get(1)) != null) {
      ex.sendResponseHeaders(204, -1);
    } else {
      error(ex, 404, "token " + (p.size() > 1 ? p.get(1) : "") + " not found", null);
    }
  }

  private void config(HttpExchange ex, Recorded req, String m, List<String> p) throws IOException {
    if (p.size() != 3) {
      error(ex, 404, "no such path", null);
      return;
    }
    String name = p.get(1);
    String key = p.get(2);
    switch (m) {
      case "GET" -> {
        var v = store.config(name, key);
        if (v.isPresent()) {
          json(ex, 200, v.get(), null);
        } else {
          error(ex, 404, "no config value " + name + "/" + key, null);
        }
      }
      case "PUT" -> {
        JsonNode body;
        try {
          body = JSON.readTree(req.body());
        } catch (JsonProcessingException e) {
          error(ex, 400, "malformed JSON", null);
          return;
        }
        if (body == null || !body.path("value").isTextual()) {
          error(ex, 400, "must be a string", "value");
          return;
        }
        OptionalInt ifMatch = ETags.parse(req.header("If-Match").orElse(null));
        var old = store.config(name, key);
        if (ifMatch.isPresent() && (old.isEmpty() || old.get().version() != ifMatch.getAsInt())) {
          error(ex, 412, "config value " + name + "/" + key + " is not at version " + ifMatch.getAsInt(), null);
          return;
        }
        json(ex, 200, store.putConfig(name, key, body.get("value").asText()), null);
      }
      case "DELETE" -> {
        if (store.deleteConfig(name, key)) {
          ex.sendResponseHeaders(204, -1);
        } else {
          error(ex, 404, "no config value " + name + "/" + key, null);
        }
      }
      default -> error(ex, 405, "method not allowed", null);
    }
  }

  private void events(HttpExchange ex, Recorded req, Map<String, String> query)
      throws IOException, InterruptedException {
    Optional<String> resume = req.header("Last-Event-ID");
    long cursor = resume.or(() -> Optional.ofNullable(query.get("since")))
        .map(Long::parseLong).orElse(store.lastEventId());
    if (resume.isPresent()) {
      cursor -= replayOnResume;
    }
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    out.flush();
    if (silentStreams) {
      stopped.await();
      return;
    }
    write(out, ": stream open\n\n");
    if (announcePosition && resume.isEmpty() && !query.containsKey("since")) {
      write(out, "id: " + cursor + "\n\n");
    }
    if (cursor < forgottenUpTo) {
      write(out, "event: " + EventGap.SSE_TYPE + "\ndata: " + JSON.writeValueAsString(new EventGap(cursor,
          forgottenUpTo, "events after " + cursor + " up to " + forgottenUpTo + " may be missing")) + "\n\n");
      cursor = forgottenUpTo;
    }
    int sent = 0;
    while (stopped.getCount() > 0) {
      var batch = store.eventsAfter(cursor, 100);
      if (batch.isEmpty()) {
        write(out, ":\n\n"); // keep-alive; also finds out when the client has gone
        continue;
      }
      for (var event : batch) {
        write(out, "id: " + event.id() + "\nevent: " + event.type() + "\ndata: " + JSON.writeValueAsString(event)
            + "\n\n");
        cursor = event.id();
        if (cutStreamsAfter > 0 && ++sent >= cutStreamsAfter) {
          return; // closing the exchange ends the chunked body: the client sees the end of the stream
        }
      }
    }
  }

  static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  boolean stopped() {
    return stopped.getCount() == 0;
  }

  static void json(HttpExchange ex, int status, Object body, String etag) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (etag != null) {
      ex.getResponseHeaders().set("ETag", etag);
    }
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  static void error(HttpExchange ex, int status, String message, String field) throws IOException {
    json(ex, status, new ErrorMessage(status, message, Optional.ofNullable(field)), null);
  }

  static void error(HttpExchange ex, int status, FieldError e) throws IOException {
    error(ex, status, e.message(), e.field());
  }

  /** The field a Jackson error is about, dotted, e.g. {@code crashLoop.minUptimeMs} or {@code command[1]}. */
  static String field(JsonMappingException e) {
    StringBuilder field = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        field.append('[').append(ref.getIndex()).append(']');
      }
    }
    return field.length() == 0 ? null : field.toString();
  }

  private static Map<String, String> query(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    return List.of(raw.split("&")).stream().map(kv -> kv.split("=", 2)).collect(Collectors.toMap(
        kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
        kv -> kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "",
        (a, b) -> b));
  }

  void awaitStop(long millis) throws InterruptedException {
    stopped.await(millis, TimeUnit.MILLISECONDS);
  }
}
