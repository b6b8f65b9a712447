package io.shepherd.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.WhoAmI;
import io.shepherd.api.ConfigValue;
import io.shepherd.api.ETags;
import io.shepherd.api.Instance;
import io.shepherd.api.LeaderInfo;
import io.shepherd.api.NewToken;
import io.shepherd.api.Node;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Role;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.UndoRequest;
import io.shepherd.api.ScaleRequest;
import io.shepherd.api.ShepherdJson;
import io.shepherd.api.TokenInfo;
import io.shepherd.api.TokenRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/** The {@link ShepherdClient} over HTTP: maps each operation to its REST call and its answer to a type. */
final class HttpShepherdClient implements ShepherdClient {
  private static final String JSON = "application/json";

  private final FailoverTransport transport;
  private final ObjectMapper json;
  private final Duration eventIdleTimeout;
  private final Duration retryBackoff;
  private final Set<EventStream> subscriptions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Orders events() against close(), so no subscription starts after close. */
  private final Object lifecycle = new Object();
  /** Checks open event streams for silence; its one daemon thread starts with the first subscription. */
  private final ScheduledThreadPoolExecutor watchdog;

  HttpShepherdClient(List<URI> apiRoots, Duration connectTimeout, Duration requestTimeout, int retries,
      Duration retryBackoff, Duration eventIdleTimeout) {
    this(apiRoots, connectTimeout, requestTimeout, retries, retryBackoff, eventIdleTimeout, null, Optional.empty());
  }

  HttpShepherdClient(List<URI> apiRoots, Duration connectTimeout, Duration requestTimeout, int retries,
      Duration retryBackoff, Duration eventIdleTimeout, SSLContext sslContext, Optional<String> token) {
    // A tolerant reader: a newer server may add fields to its answers.
    this.json = ShepherdJson.newMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    HttpClient.Builder httpBuilder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (sslContext != null) {
      httpBuilder.sslContext(sslContext);
    }
    HttpClient http = httpBuilder.build();
    this.transport =
        new FailoverTransport(apiRoots, http, json, connectTimeout, requestTimeout, retries, retryBackoff, token);
    this.eventIdleTimeout = eventIdleTimeout;
    this.retryBackoff = retryBackoff;
    this.watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread t = new Thread(runnable, "shepherd-events-watchdog");
      t.setDaemon(true);
      return t;
    });
    this.watchdog.setRemoveOnCancelPolicy(true);
  }

  @Override
  public List<ReplicaSetSummary> list() {
    return read(ApiRequest.get("/replicasets"), new TypeReference<>() {});
  }

  @Override
  public ReplicaSetStatus get(String name) {
    return read(ApiRequest.get(ApiRequest.path("replicasets", name)), new TypeReference<>() {});
  }

  @Override
  public Optional<ReplicaSetStatus> find(String name) {
    try {
      return Optional.of(get(name));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public Applied apply(String name, ReplicaSetSpec spec) {
    return apply(ApiRequest.put(ApiRequest.path("replicasets", name), write(spec)));
  }

  @Override
  public Applied apply(String name, ReplicaSetSpec spec, int ifMatchVersion) {
    return apply(ApiRequest.put(ApiRequest.path("replicasets", name), write(spec)).withIfMatch(ifMatchVersion));
  }

  private Applied apply(ApiRequest request) {
    FailoverTransport.Answer<String> answer = transport.send(request, JSON, BodyHandlers.ofString());
    ReplicaSetStatus status = decode(request, answer, json.constructType(ReplicaSetStatus.class));
    int version = ETags.parse(answer.headers().firstValue("ETag").orElse(null)).orElse(status.version());
    return new Applied(status, answer.status() == 201, version);
  }

  @Override
  public ReplicaSetStatus scale(String name, int replicas) {
    return read(scaleRequest(name, replicas), new TypeReference<>() {});
  }

  @Override
  public ReplicaSetStatus scale(String name, int replicas, int ifMatchVersion) {
    return read(scaleRequest(name, replicas).withIfMatch(ifMatchVersion), new TypeReference<>() {});
  }

  private ApiRequest scaleRequest(String name, int replicas) {
    return ApiRequest.put(ApiRequest.path("replicasets", name, "replicas"), write(new ScaleRequest(replicas)));
  }

  @Override
  public ReplicaSetStatus delete(String name) {
    return read(ApiRequest.delete(ApiRequest.path("replicasets", name)), new TypeReference<>() {});
  }

  @Override
  public ReplicaSetStatus killInstance(String name, String instanceId, boolean scale) {
    ApiRequest request = ApiRequest.delete(ApiRequest.path("replicasets", name, "instances", instanceId));
    if (scale) {
      // Lowering the target by one is relative: sent twice, it would lower it twice.
      request = request.withQuery("scale", "true").notIdempotent();
    }
    return read(request, new TypeReference<>() {});
  }

  @Override
  public ReplicaSetStatus restart(String name, String instanceId) {
    return read(ApiRequest.post(ApiRequest.path("replicasets", name, "instances", instanceId, "restart")),
        new TypeReference<>() {});
  }

  @Override
  public Rollout rollout(String name) {
    return read(ApiRequest.get(ApiRequest.path("replicasets", name, "rollout")), new TypeReference<>() {});
  }

  @Override
  public List<Revision> revisions(String name) {
    return read(ApiRequest.get(ApiRequest.path("replicasets", name, "revisions")), new TypeReference<>() {});
  }

  @Override
  public ReplicaSetStatus pauseRollout(String name) {
    return rolloutControl(name, "pause");
  }

  @Override
  public ReplicaSetStatus resumeRollout(String name) {
    return rolloutControl(name, "resume");
  }

  @Override
  public ReplicaSetStatus promoteRollout(String name) {
    return rolloutControl(name, "promote");
  }

  @Override
  public ReplicaSetStatus restartRollout(String name) {
    return rolloutControl(name, "restart");
  }

  @Override
  public ReplicaSetStatus undoRollout(String name, OptionalInt revision) {
    UndoRequest body = new UndoRequest(revision.isPresent() ? revision.getAsInt() : null);
    return read(ApiRequest.post(ApiRequest.path("replicasets", name, "rollout", "undo"), write(body)),
        new TypeReference<>() {});
  }

  private ReplicaSetStatus rolloutControl(String name, String action) {
    return read(ApiRequest.post(ApiRequest.path("replicasets", name, "rollout", action)), new TypeReference<>() {});
  }

  @Override
  public List<Instance> instances(String name, boolean readyOnly) {
    ApiRequest request = ApiRequest.get(ApiRequest.path("replicasets", name, "instances"));
    return read(readyOnly ? request.withQuery("ready", "true") : request, new TypeReference<>() {});
  }

  @Override
  public List<Node> nodes() {
    return read(ApiRequest.get("/nodes"), new TypeReference<>() {});
  }

  @Override
  public LeaderInfo leader() {
    return read(ApiRequest.get("/leader"), new TypeReference<>() {});
  }

  @Override
  public WhoAmI whoami() {
    return read(ApiRequest.get("/whoami"), new TypeReference<>() {});
  }

  @Override
  public InputStream logs(String name, String instanceId, OptionalInt tail, boolean follow) {
    return transport.send(logsRequest(name, instanceId, tail, follow), "text/plain", BodyHandlers.ofInputStream())
        .body();
  }

  @Override
  public void logs(String name, String instanceId, OptionalInt tail, boolean follow, Consumer<String> lines) {
    ApiRequest request = logsRequest(name, instanceId, tail, follow);
    FailoverTransport.Answer<InputStream> answer =
        transport.send(request, "text/plain", BodyHandlers.ofInputStream());
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.accept(line);
      }
    } catch (IOException e) {
      throw new UnavailableException(request.describe(),
          List.of(new UnavailableException.Failure(answer.server(), "the log stream broke: " + transport.describe(e))),
          e);
    }
  }

  private static ApiRequest logsRequest(String name, String instanceId, OptionalInt tail, boolean follow) {
    ApiRequest request = ApiRequest.get(ApiRequest.path("replicasets", name, "instances", instanceId, "logs"));
    if (tail.isPresent()) {
      if (tail.getAsInt() < 0) {
        throw new IllegalArgumentException("tail must not be negative: " + tail.getAsInt());
      }
      request = request.withQuery("tail", Integer.toString(tail.getAsInt()));
    }
    return follow ? request.withQuery("follow", "true") : request;
  }

  @Override
  public ConfigValue getConfig(String name, String key) {
    return read(ApiRequest.get(ApiRequest.path("config", name, key)), new TypeReference<>() {});
  }

  @Override
  public ConfigValue putConfig(String name, String key, String value) {
    return read(configPut(name, key, value), new TypeReference<>() {});
  }

  @Override
  public ConfigValue putConfig(String name, String key, String value, int ifMatchVersion) {
    return read(configPut(name, key, value).withIfMatch(ifMatchVersion), new TypeReference<>() {});
  }

  private ApiRequest configPut(String name, String key, String value) {
    return ApiRequest.put(ApiRequest.path("config", name, key), write(Map.of("value", value)));
  }

  @Override
  public void deleteConfig(String name, String key) {
    transport.send(ApiRequest.delete(ApiRequest.path("config", name, key)), JSON, BodyHandlers.discarding());
  }

  @Override
  public NewToken createToken(String name, Role role) {
    return read(ApiRequest.post("/tokens", write(new TokenRequest(name, role))), new TypeReference<>() {});
  }

  @Override
  public List<TokenInfo> tokens() {
    return read(ApiRequest.get("/tokens"), new TypeReference<>() {});
  }

  @Override
  public void revokeToken(String id) {
    transport.send(ApiRequest.delete(ApiRequest.path("tokens", id)), JSON, BodyHandlers.discarding());
  }

  @Override
  public EventSubscription events(OptionalLong since, EventListener listener) {
    synchronized (lifecycle) {
      if (closed.get()) {
        throw new IllegalStateException("this client is closed");
      }
      EventStream stream = new EventStream(transport, json, since, listener, eventIdleTimeout, retryBackoff,
          watchdog, subscriptions::remove);
      subscriptions.add(stream);
      stream.start();
      return stream;
    }
  }

  /** For tests that send what the typed methods cannot. */
  FailoverTransport transport() {
    return transport;
  }

  @Override
  public List<URI> servers() {
    return transport.servers();
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
    }
    List.copyOf(subscriptions).forEach(EventStream::close);
    watchdog.shutdownNow();
  }

  private <T> T read(ApiRequest request, TypeReference<T> type) {
    FailoverTransport.Answer<String> answer = transport.send(request, JSON, BodyHandlers.ofString());
    return decode(request, answer, json.getTypeFactory().constructType(type));
  }

  private <T> T decode(ApiRequest request, FailoverTransport.Answer<String> answer, JavaType type) {
    try {
      T value = json.readValue(answer.body(), type);
      if (value == null) {
        throw new UnexpectedResponseException(answer.server(), answer.status(), "the answer of " + answer.server()
            + " to " + request.describe() + " is empty", null);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new UnexpectedResponseException(answer.server(), answer.status(), "could not read the answer of "
          + answer.server() + " to " + request.describe() + ": " + e.getOriginalMessage(), e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
