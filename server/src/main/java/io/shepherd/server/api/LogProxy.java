package io.shepherd.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.server.config.LogsConfig;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a copy's log from its node's agent and streams it through, in the request's own thread, chunk by chunk as
 * the agent sends it. Every call is bounded:
 * <ul>
 *   <li>connecting to the agent, by {@link LogsConfig#connectTimeout};</li>
 *   <li>the agent's headers, by {@link LogsConfig#agentTimeout}: else a 503 naming the node;</li>
 *   <li>a log that is not followed, by the same time between two reads of its body: an agent that stalls mid-body
 *       ends the response where it is, never a hang;</li>
 *   <li>a followed log has no such bound (a quiet copy may write nothing for as long as it likes): it ends when the
 *       copy ends, the agent goes away, the reader goes away (noticed at the next chunk: HTTP offers no other way),
 *       or at {@link #close}.</li>
 * </ul>
 * {@link #close} (the server stops) ends every stream in progress at once and refuses new ones. Thread-safe; one per
 * server.
 */
public final class LogProxy implements AgentLogs, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(LogProxy.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration agentTimeout;
  private final HttpClient http;
  private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
  /** Ends a body read that stalled; one thread for every stream. */
  private final ScheduledThreadPoolExecutor stalls;
  private volatile boolean closed;

  public LogProxy(LogsConfig config) {
    this.agentTimeout = config.agentTimeout.toJavaDuration();
    HttpClient.Builder http = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout.toJavaDuration())
        .version(HttpClient.Version.HTTP_1_1);
    if (config.tls != null) {
      http.sslContext(config.tls.context());
    }
    this.http = http.build();
    this.stalls = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "shepherd-log-stalls");
      t.setDaemon(true);
      return t;
    });
    stalls.setRemoveOnCancelPolicy(true); // one deadline per read, nearly all of them cancelled
  }

  @Override
  public StreamingOutput open(URI uri, String nodeId, boolean follow) {
    if (closed) {
      throw ApiException.unavailable("the server is stopping");
    }
    String agent = uri.getScheme() + "://" + uri.getAuthority();
    HttpResponse<InputStream> response;
    try {
      response = http.send(HttpRequest.newBuilder(uri).timeout(agentTimeout).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw ApiException.unavailable("the log server of node " + nodeId + " at " + agent + " did not answer within "
          + agentTimeout.toMillis() + " ms");
    } catch (IOException e) {
      throw ApiException.unavailable("cannot reach the log server of node " + nodeId + " at " + agent + ": "
          + describe(e));
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
      forget(in);
      throw ApiException.unavailable("the server is stopping");
    }
    return out -> pump(in, out, follow, agent);
  }

  private void pump(InputStream in, OutputStream out, boolean follow, String agent) {
    byte[] buf = new byte[16 * 1024];
    try (in) {
      int n;
      while ((n = follow ? in.read(buf) : readWithin(in, buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The agent stalled or went away, the reader went away, or the server is stopping: the response ends here.
      LOG.debug("log stream from {} ended: {}", agent, e.toString());
    } finally {
      open.remove(in);
    }
  }

  /** One read of a body that should flow: closed (so ending the stream) if the agent sends nothing in time. */
  private int readWithin(InputStream in, byte[] buf) throws IOException {
    ScheduledFuture<?> stalled;
    try {
      stalled = stalls.schedule(() -> forget(in), agentTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      throw new IOException("the server is stopping");
    }
    try {
      return in.read(buf);
    } finally {
      stalled.cancel(false);
    }
  }

  private void forget(InputStream in) {
    open.remove(in);
    try {
      in.close();
    } catch (IOException e) {
      LOG.debug("closing a log stream: {}", e.toString());
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

  /** Ends every stream in progress (their responses end where they are) and refuses new ones. */
  @Override
  public void close() {
    closed = true;
    open.forEach(this::forget);
    stalls.shutdownNow();
  }
}
