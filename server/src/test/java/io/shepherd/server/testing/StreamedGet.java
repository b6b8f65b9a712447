package io.shepherd.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A GET whose body streams: its lines are collected by a background thread as they arrive, until the server ends
 * the response or {@link #close} hangs up. Opening returns once the response headers arrived.
 */
public final class StreamedGet implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final HttpResponse<InputStream> response;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile boolean ended;

  private StreamedGet(HttpResponse<InputStream> response, Consumer<String> onLine) {
    this.response = response;
    this.reader = new Thread(() -> read(onLine), "streamed-get");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * GETs {@code url} with {@code headers} (and the tests' admin token, unless they carry an Authorization header);
   * {@code onLine} sees each line (in the reader thread) as it arrives.
   */
  public static StreamedGet open(String url, Map<String, String> headers, Consumer<String> onLine) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(request::header);
    if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Authorization"))) {
      request.header("Authorization", TestTokens.bearer());
    }
    return new StreamedGet(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()), onLine);
  }

  public static StreamedGet open(String url) throws Exception {
    return open(url, Map.of(), line -> { });
  }

  private void read(Consumer<String> onLine) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        onLine.accept(line);
      }
    } catch (IOException e) {
      // hung up by close(), or the server went away
    } finally {
      ended = true;
    }
  }

  public int status() {
    return response.statusCode();
  }

  public HttpResponse<InputStream> response() {
    return response;
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Whether the body ended (the server closed it, or we hung up). */
  public boolean ended() {
    return ended;
  }

  /** Hangs up and waits for the reader thread, so that what was read is final. */
  @Override
  public void close() throws Exception {
    response.body().close();
    reader.join(10_000);
  }
}
