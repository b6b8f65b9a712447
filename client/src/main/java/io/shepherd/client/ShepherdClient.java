package io.shepherd.client;

import io.shepherd.api.WhoAmI;
import io.shepherd.api.ConfigValue;
import io.shepherd.api.Instance;
import io.shepherd.api.LeaderInfo;
import io.shepherd.api.NewToken;
import io.shepherd.api.Node;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.Role;
import io.shepherd.api.TokenInfo;
import java.io.Closeable;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The Java client of Shepherd's REST API ({@code /api/v1}), talking to one or more servers of a cluster.
 *
 * <p><b>Thread safety.</b> A client is thread-safe and meant to be shared: build one per application and close
 * it when done. It holds one {@link java.net.http.HttpClient} and the background threads of open event
 * subscriptions.
 *
 * <p><b>Failover and retries.</b> Calls go to one server at a time; all calls share which one. When a server
 * cannot be connected to, does not answer within the request timeout, or answers a 5xx, the client moves on to
 * the next configured server (and stays there). Every call here is idempotent in HTTP's sense (GET, PUT, DELETE)
 * except {@link #killInstance killInstance(name, id, true)} and {@link #restart}, and an idempotent call is repeated on the next
 * server, up to {@link Builder#retries} times (by default each server once), pausing {@link Builder#retryBackoff}
 * before going round the list again. A non-idempotent call is repeated only when the failure proves the server
 * did not act on it (connection refused, 503); otherwise it fails with {@link OutcomeUnknownException}. A 4xx
 * answer is never retried. Note that a repeated {@code apply} with {@code ifMatchVersion} can meet a 412 if its
 * first attempt did take effect.
 *
 * <p><b>Errors.</b> Every method throws only the unchecked {@link ShepherdException} hierarchy:
 * {@link NotFoundException} (404), {@link ConflictException} (409), {@link PreconditionFailedException} (412),
 * {@link ValidationException} (400, 422, naming the field), another {@link RejectedException} for other 4xx
 * (401 without a valid {@link Builder#token}, 403 when the token's role is too low),
 * {@link UnavailableException} when every attempt failed, and the rarer ones its Javadoc lists.
 *
 * <p>Names, instance ids and keys are sent percent-encoded as single path segments; the server validates them.
 */
public interface ShepherdClient extends Closeable {

  /** A builder; at least one server is required. */
  static Builder builder() {
    return new Builder();
  }

  /** {@code GET /replicasets}: every replica set with its counts. */
  List<ReplicaSetSummary> list();

  /** {@code GET /replicasets/{name}}: the spec, counts, live instances and version. */
  ReplicaSetStatus get(String name);

  /** Like {@link #get}, but empty instead of {@link NotFoundException} when the set does not exist. */
  Optional<ReplicaSetStatus> find(String name);

  /** {@code PUT /replicasets/{name}}: creates or replaces the spec, whatever its current version. */
  Applied apply(String name, ReplicaSetSpec spec);

  /**
   * {@code PUT /replicasets/{name}} with {@code If-Match}: replaces the spec only if its version is still
   * {@code ifMatchVersion}.
   *
   * @throws PreconditionFailedException the stored version differs
   */
  Applied apply(String name, ReplicaSetSpec spec, int ifMatchVersion);

  /** {@code PUT /replicasets/{name}/replicas}: sets the replica count. */
  ReplicaSetStatus scale(String name, int replicas);

  /** {@link #scale(String, int)} only if the spec's version is still {@code ifMatchVersion}. */
  ReplicaSetStatus scale(String name, int replicas, int ifMatchVersion);

  /**
   * {@code DELETE /replicasets/{name}}: stops every copy, then removes the set. Returns at once with
   * {@code deleting} set; the set disappears from {@link #get} once its copies are stopped.
   */
  ReplicaSetStatus delete(String name);

  /**
   * {@code DELETE /replicasets/{name}/instances/{id}}: stops one copy. Without {@code scale} the controller
   * replaces it (idempotent); with {@code scale} the target count is also lowered by one, which is <em>not</em>
   * idempotent, so that call is never repeated after a server may have acted on it.
   */
  ReplicaSetStatus killInstance(String name, String instanceId, boolean scale);

  /**
   * {@code POST /replicasets/{name}/instances/{id}/restart}: asks the copy's agent to restart it in place (SIGTERM,
   * its grace, then the same command again under the same id and ports; not counted as a failure). Not idempotent
   * (each call is one more restart), so it is never repeated after a server may have acted on it.
   */
  ReplicaSetStatus restart(String name, String instanceId);

  /**
   * {@code GET /replicasets/{name}/instances?ready=true}: service discovery, the copies ready for clients (their
   * readiness probe passes, or they have none and run), with the node, host and ports of each.
   */
  default List<Instance> instances(String name) {
    return instances(name, true);
  }

  /**
   * {@code GET /replicasets/{name}/instances}: with {@code readyOnly}, the copies ready for clients; without it,
   * every live copy, ready or not ({@link Instance#ready()} says which).
   */
  List<Instance> instances(String name, boolean readyOnly);

  /** A replica set's rollout in progress or last done; {@link NotFoundException} before the leader's first look. */
  Rollout rollout(String name);

  /** The stored revisions of a replica set's template, oldest first. */
  List<Revision> revisions(String name);

  /** Pauses the rollout: no more copies are replaced until {@link #resumeRollout}. */
  ReplicaSetStatus pauseRollout(String name);

  ReplicaSetStatus resumeRollout(String name);

  /** Lets a rollout paused after its canary copies go on. */
  ReplicaSetStatus promoteRollout(String name);

  /** Goes back to {@code revision} (empty: the previous one): a rollout replaces the copies. */
  ReplicaSetStatus undoRollout(String name, OptionalInt revision);

  /** Replaces every copy with a new one, within the rollout's bounds, without a template change. */
  ReplicaSetStatus restartRollout(String name);

  /** How often {@link #awaitRollout} reads the rollout. */
  Duration ROLLOUT_POLL = Duration.ofMillis(250);

  /**
   * Waits for the rollout of {@code revision} (see {@link ReplicaSetStatus#revision()}) to end: COMPLETE, FAILED, or
   * REVERTED from it. Reads the rollout every {@link #ROLLOUT_POLL} and calls {@code progress} with each one that
   * differs from the last; a rollout the leader has not begun yet is waited for.
   *
   * @return the ended rollout, or empty when {@code timeout} passed first
   * @throws NotFoundException when the replica set does not exist
   */
  default Optional<Rollout> awaitRollout(String name, int revision, Duration timeout, Consumer<Rollout> progress)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<Rollout> last = Optional.empty();
    while (true) {
      Optional<Rollout> current;
      try {
        current = Optional.of(rollout(name));
      } catch (NotFoundException e) {
        get(name); // an unknown replica set is an error, not a wait
        current = Optional.empty();
      }
      if (current.isPresent() && !current.equals(last)) {
        progress.accept(current.get());
        last = current;
      }
      if (current.isPresent() && current.get().state().ended() && (current.get().toRevision() == revision
          || current.get().revertedFrom().equals(Optional.of(revision)))) {
        return current;
      }
      if (System.nanoTime() >= deadline) {
        return Optional.empty();
      }
      Thread.sleep(ROLLOUT_POLL.toMillis());
    }
  }

  /** {@code GET /nodes}: the live agents with capacity and use. */
  List<Node> nodes();

  /** {@code GET /leader}: which server controls, as the answering server knows it. */
  LeaderInfo leader();

  /** {@code GET /whoami}: the name and role of this client's token. */
  WhoAmI whoami();

  /**
   * {@code GET /replicasets/{name}/instances/{id}/logs}: a copy's output, wherever it runs. The caller must close
   * the stream; with {@code follow} it stays open while the copy writes. Failover applies until a server starts
   * answering; a stream that breaks afterwards throws {@link java.io.IOException} from its reads.
   *
   * @param tail the number of last lines to start with; empty for all
   */
  InputStream logs(String name, String instanceId, OptionalInt tail, boolean follow);

  /**
   * Like {@link #logs(String, String, OptionalInt, boolean)}, handing each line (without its end) to
   * {@code lines} on the calling thread, and returning when the stream ends.
   *
   * @throws UnavailableException also when the stream breaks after it began
   */
  void logs(String name, String instanceId, OptionalInt tail, boolean follow, Consumer<String> lines);

  /** {@code GET /config/{name}/{key}}. */
  ConfigValue getConfig(String name, String key);

  /** {@code PUT /config/{name}/{key}}: sets the value, whatever its current version. */
  ConfigValue putConfig(String name, String key, String value);

  /** {@code PUT /config/{name}/{key}} with {@code If-Match}. */
  ConfigValue putConfig(String name, String key, String value, int ifMatchVersion);

  /** {@code DELETE /config/{name}/{key}}. */
  void deleteConfig(String name, String key);

  /**
   * {@code GET /events}: follows the event stream on a background thread, handing every event after
   * {@code since} (or every event from now on, when empty) to {@code listener}, in order, each exactly once.
   *
   * <p>When the stream breaks (the server closes it, the connection fails, or it stays silent for longer than
   * {@link Builder#eventIdleTimeout}), the subscription reconnects, to the next server when the current one
   * failed, with {@code Last-Event-ID} set to the last id it delivered; any event whose id is not above that is
   * dropped, should a server send it again. It keeps trying until closed, or until a server refuses with a 4xx.
   *
   * <p>Without {@code since}, the subscription resumes from the last event it delivered, or from the position a
   * server announced with an id-only frame ({@code id: N} and a blank line). If the stream breaks before
   * either, events published during the gap may be missed: pass {@code since} where that matters.
   */
  EventSubscription events(OptionalLong since, EventListener listener);

  /**
   * {@code POST /tokens} (admin): a new API token named {@code name} with {@code role}. The answer holds its secret,
   * which the server does not keep: this is the only time it is shown. Never repeated after a server may have acted.
   */
  NewToken createToken(String name, Role role);

  /** {@code GET /tokens} (admin): every token, without secrets. */
  List<TokenInfo> tokens();

  /** {@code DELETE /tokens/{id}} (admin): revokes a token; every server refuses it from then on. */
  void revokeToken(String id);

  /** The API roots (each ending in {@code /api/v1}) this client talks to, in order. */
  List<URI> servers();

  /**
   * Closes every open event subscription, as {@link EventSubscription#close} does. Afterwards {@link #events}
   * throws {@link IllegalStateException}; other calls still work, holding no resource that needs closing.
   */
  @Override
  void close();

  /**
   * Builds a {@link ShepherdClient}. Not thread-safe; {@link #build} may be called more than once.
   */
  final class Builder {
    private final List<URI> servers = new ArrayList<>();
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration retryBackoff = Duration.ofMillis(250);
    private Duration eventIdleTimeout = Duration.ofSeconds(60);
    private OptionalInt retries = OptionalInt.empty();
    private SSLContext sslContext;
    private Optional<String> token = Optional.empty();

    Builder() {}

    /**
     * The API token every request carries ({@code Authorization: Bearer <token>}); without one, the servers refuse
     * every call with 401. Surrounding whitespace (a token file's newline) is dropped.
     */
    public Builder token(String token) {
      Objects.requireNonNull(token, "token");
      String t = token.strip();
      if (t.isEmpty() || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("a token is one word of printable ASCII characters");
      }
      this.token = Optional.of(t);
      return this;
    }

    /**
     * Adds a server by its base URL, e.g. {@code http://10.0.0.1:8080}; {@code /api/v1} is appended unless the
     * URL already ends with it.
     */
    public Builder server(String baseUrl) {
      servers.add(Servers.apiRoot(baseUrl));
      return this;
    }

    /** Adds servers from a comma-separated list of base URLs, as {@code SHEPHERD_SERVERS} holds them. */
    public Builder servers(String commaSeparated) {
      Servers.parse(commaSeparated).forEach(servers::add);
      return this;
    }

    /** Adds servers by their base URLs. */
    public Builder servers(List<String> baseUrls) {
      baseUrls.forEach(this::server);
      return this;
    }

    /** How long to wait for a TCP connection to one server. Default 2 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long to wait for one server's answer to begin (status and headers); a streamed body (logs, events) may
     * then last. Default 10 s.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * How many times a call is repeated after its first attempt fails, each time on the next server. Default:
     * the number of servers less one, so each server is tried once. A non-idempotent call is repeated only after
     * a failure that proves the server did not act on it, and never on a server it already tried.
     */
    public Builder retries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative: " + retries);
      }
      this.retries = OptionalInt.of(retries);
      return this;
    }

    /** The pause before a retry goes round the server list again. Default 250 ms. */
    public Builder retryBackoff(Duration pause) {
      this.retryBackoff = Objects.requireNonNull(pause, "retryBackoff");
      if (pause.isNegative()) {
        throw new IllegalArgumentException("retryBackoff must not be negative");
      }
      return this;
    }

    /**
     * How long an event stream may stay silent, keep-alives included, before it is presumed dead (a host that
     * vanished leaves a connection open) and reopened. Default 60 s.
     */
    public Builder eventIdleTimeout(Duration timeout) {
      this.eventIdleTimeout = positive(timeout, "eventIdleTimeout");
      return this;
    }

    /**
     * Trust the certificate authority in {@code caFile} (PEM or DER) for {@code https://} servers, instead of the
     * JDK's default authorities.
     *
     * @throws IllegalArgumentException if the file is missing or holds no certificate
     */
    public Builder caFile(Path caFile) {
      return sslContext(TrustedCa.sslContext(Objects.requireNonNull(caFile, "caFile")));
    }

    /** The TLS context for {@code https://} servers; default: the JDK's. */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "sslContext");
      return this;
    }

    /** The client. */
    public ShepherdClient build() {
      if (servers.isEmpty()) {
        throw new IllegalStateException("at least one server is required");
      }
      return new HttpShepherdClient(List.copyOf(servers), connectTimeout, requestTimeout,
          retries.orElse(servers.size() - 1), retryBackoff, eventIdleTimeout, sslContext, token);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
