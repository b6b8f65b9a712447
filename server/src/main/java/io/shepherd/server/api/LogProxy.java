package io.shepherd.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.glassfish.jersey.server.ChunkedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a copy's log from its node's agent and streams it through, chunk by chunk as the agent sends it, until the
 * agent ends it, the client goes away (noticed at the next chunk, or when the container reports the disconnection:
 * HTTP offers no other way), or {@link #close} (the server stops). Each stream has a thread of its own. Thread-safe;
 * one per server.
 */
public final class LogProxy implements AgentLogs, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(LogProxy.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Until the agent's headers: it sends them before the first byte of the log, even when following. */
  private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(CONNECT_TIMEOUT)
      .version(HttpClient.Version.HTTP_1_1)
      .build();
  private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "shepherd-log-stream");
    t.setDaemon(true);
    return t;
  });
  private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  @Override
  public ChunkedOutput<byte[]> open(URI uri, String nodeId) {
    if (closed) {
      throw ApiException.unavailable("the server is stopping");
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(HttpRequest.newBuilder(uri).timeout(HEADERS_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw ApiException.unavailable("cannot reach the log server of node " + nodeId + " at " + uri.getScheme()
          + "://" + uri.getAuthority() + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while asking node " + nodeId + " for the log");
    }
    InputStream in = response.body();
    if (response.statusCode() != 200) {
      String message = agentMessage(in).orElse("status " + response.statusCode());
      switch (response.statusCode()) {
        case 404 -> throw new ApiException(404, message + " (node " + nodeId + ")", Optional.empty());
        case 400 -> throw ApiException.badRequest(message);
        default -> throw ApiException.unavailable("the log server of node " + nodeId + " failed: " + message);
      }
    }
    open.add(in);
    if (closed) {
      close(in); // raced with close(): the pump below ends at once
    }
    ChunkedOutput<byte[]> output = new ChunkedOutput<>(byte[].class) {
      @Override
      protected void onClose(Exception e) {
        LogProxy.close(in); // the container saw the reader go: stop waiting for the agent
      }
    };
    pumps.execute(() -> pump(in, output));
    return output;
  }

  private void pump(InputStream in, ChunkedOutput<byte[]> output) {
    byte[] buf = new byte[16 * 1024];
    try (in; output) {
      int n;
      while (!output.isClosed() && (n = in.read(buf)) >= 0) {
        output.write(Arrays.copyOf(buf, n));
      }
    } catch (IOException e) {
      // The reader or the agent went away, or the server is stopping: the response ends where it is.
      LOG.debug("log stream ended: {}", e.toString());
    } finally {
      open.remove(in);
    }
  }

  private static Optional<String> agentMessage(InputStream in) {
    try (in) {
      JsonNode node = JSON.readTree(in.readNBytes(4096));
      return Optional.ofNullable(node.get("message")).map(JsonNode::asText);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      LOG.debug("closing a log stream: {}", e.toString());
    }
  }

  /** Ends every stream in progress (their responses end where they are) and refuses new ones. */
  @Override
  public void close() {
    closed = true;
    open.forEach(LogProxy::close);
  }
}
