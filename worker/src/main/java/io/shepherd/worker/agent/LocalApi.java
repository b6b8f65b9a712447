package io.shepherd.worker.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.sun.net.httpserver.HttpExchange;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkLayout;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;

/**
 * The copy-facing local API on the agent's HTTP port, for copies in any language: each copy finds the agent at
 * {@code SHEPHERD_AGENT_URL} and authenticates with {@code Authorization: Bearer $SHEPHERD_TOKEN}, a token of its own
 * ({@link CopyTokens}). See docs/LOCAL-API.md.
 *
 * <ul>
 *   <li>{@code GET /v1/self}: which copy this is (replica set, instance id, node, host, pid, ports, restarts, the
 *   template revision it runs)</li>
 *   <li>{@code GET /v1/leader}: whether this copy leads its set, the leader's instance id, the fencing term</li>
 *   <li>{@code GET /v1/config}, {@code GET /v1/config/{key}}: the set's configuration values</li>
 * </ul>
 *
 * <p>Leader and config long-poll ({@link LongPoll}): {@code ?index=N&wait=30s}; every answer carries its index in
 * {@code X-Shepherd-Index} and in the body. While the agent's ZooKeeper session is not connected, both answer 503:
 * a copy is never told it leads on the strength of a view the agent cannot vouch for. 401 without a token or with
 * one of no running copy of this agent; 403 when the connection does not come from a process of the token's copy
 * ({@link CopyPeers}: another copy that read the token). Each request holds one thread of the HTTP server while it
 * waits.
 */
final class LocalApi implements Closeable {
  static final String PATH = "/v1/";
  static final String INDEX_HEADER = "X-Shepherd-Index";
  static final String AGENT_URL_ENV = "SHEPHERD_AGENT_URL";
  static final String TOKEN_ENV = "SHEPHERD_TOKEN";

  /** {@code GET /v1/self}. */
  record Self(String replicaSet, String instanceId, String node, String host, long pid, Map<String, Integer> ports,
      int restarts, int revision, int specVersion) {}

  /** {@code GET /v1/leader}; {@code leader} is absent while no ready copy takes part. */
  record Leader(@JsonProperty("isLeader") boolean isLeader, @JsonProperty("leader") Optional<String> leader,
      long term, long index) {}

  /** {@code GET /v1/config}. */
  record Config(Map<String, String> values, long index) {}

  /** {@code GET /v1/config/{key}}. */
  record ConfigValue(String key, String value, long index) {}

  private final CuratorFramework client;
  private final ZkLayout layout;
  private final String host;
  private final CopyTokens tokens;
  private final CopyPeers peers;
  private final CopyElections elections;
  private final Function<String, Optional<Copy>> copies;
  private final BooleanSupplier connected;
  private final AtomicLong ticks = new AtomicLong();
  private final Map<String, SetWatch> watches = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile Consumer<String> onConfigChanged = rs -> { };

  /**
   * @param copies    the running copy of an instance id
   * @param peers     whether a connection comes from a copy's processes
   * @param connected whether the agent is connected and registered in its current session
   */
  LocalApi(CuratorFramework client, ZkLayout layout, String host, CopyTokens tokens, CopyPeers peers,
      Function<String, Optional<Copy>> copies, BooleanSupplier connected) {
    this.client = client;
    this.layout = layout;
    this.host = host;
    this.tokens = tokens;
    this.peers = peers;
    this.elections = new CopyElections(client, layout);
    this.copies = copies;
    this.connected = connected;
  }

  /** Told the name of a set whose configuration values changed (on Curator's thread: hand it on). */
  void onConfigChanged(Consumer<String> listener) {
    this.onConfigChanged = listener;
  }

  /** The configuration values of a set this agent watches; empty until they are loaded. */
  Optional<Map<String, String>> configValues(String replicaSet) {
    SetWatch w = watches.get(replicaSet);
    return w == null || w.configIndex().isEmpty() ? Optional.empty() : Optional.of(w.configValues());
  }

  CopyTokens tokens() {
    return tokens;
  }

  CopyElections elections() {
    return elections;
  }

  /** The environment a copy gets: where its agent is and its token. */
  Map<String, String> environmentOf(String instanceId, String agentUrl) {
    return Map.of(AGENT_URL_ENV, agentUrl, TOKEN_ENV, tokens.issue(instanceId));
  }

  /** Starts watching a set whose copy is about to start, so that its view is loaded when the copy asks. */
  void watch(String replicaSet) {
    if (!closed) {
      watches.computeIfAbsent(replicaSet, rs -> {
        SetWatch w = new SetWatch(client, layout, rs, ticks, () -> onConfigChanged.accept(rs));
        w.start();
        return w;
      });
    }
  }

  /** Stops watching the sets no copy of {@code live} belongs to and forgets their tokens; retries failed joins. */
  void retain(Set<String> liveSets, Set<String> liveInstances) {
    tokens.retain(liveInstances);
    for (String rs : List.copyOf(watches.keySet())) {
      if (!liveSets.contains(rs)) {
        Optional.ofNullable(watches.remove(rs)).ifPresent(SetWatch::close);
      }
    }
    elections.resync();
  }

  /** The connection changed: every waiter looks again (and answers 503 if it is gone). */
  void connectionChanged() {
    watches.values().forEach(SetWatch::poke);
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        error(exchange, 405, "only GET is supported");
        return;
      }
      Optional<Copy> copy = authenticate(exchange);
      if (copy.isEmpty()) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        error(exchange, 401, "a copy's token is required: Authorization: Bearer $" + TOKEN_ENV);
        return;
      }
      Copy c = copy.get();
      CopyPeers.Verdict peer = peers.check(exchange.getRemoteAddress(), exchange.getLocalAddress(),
          c.process().pid());
      if (!peer.allowed()) {
        error(exchange, 403, refusal(peer));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query;
      Optional<Long> seen;
      Duration wait;
      try {
        query = QueryString.parse(exchange.getRequestURI().getRawQuery());
        seen = LongPoll.index(query.get("index"));
        wait = LongPoll.waitOf(query.get("wait"));
      } catch (IllegalArgumentException e) {
        error(exchange, 400, e.getMessage());
        return;
      }
      if (path.equals("/v1/self")) {
        AgentJson.ok(exchange, RecordCodec.write(self(c)), Optional.empty());
      } else if (path.equals("/v1/leader")) {
        SetWatch w = watchOf(c);
        answer(exchange, w, w::leaderIndex, seen, wait, index -> {
          CopyElection.Outcome outcome = w.election();
          return RecordCodec.write(new Leader(outcome.ledBy(elections.pathOf(c)),
              outcome.leader().map(CopyElection.Participant::instanceId), outcome.term(), index));
        });
      } else if (path.equals("/v1/config")) {
        SetWatch w = watchOf(c);
        answer(exchange, w, w::configIndex, seen, wait,
            index -> RecordCodec.write(new Config(w.configValues(), index)));
      } else if (path.startsWith("/v1/config/") && path.length() > "/v1/config/".length()) {
        String key = path.substring("/v1/config/".length());
        SetWatch w = watchOf(c);
        answer(exchange, w, w::configIndex, seen, wait, index -> {
          String value = w.configValues().get(key);
          return value == null ? null : RecordCodec.write(new ConfigValue(key, value, index));
        });
      } else {
        error(exchange, 404, "no such path: " + path);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface Body {
    /** The body at {@code index}; null for a 404 (a key that is not set). */
    byte[] at(long index);
  }

  private void answer(HttpExchange exchange, SetWatch w, Supplier<Optional<Long>> index, Optional<Long> seen,
      Duration wait, Body body) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long changes = w.changes();
      Optional<Long> current = index.get();
      boolean waitOver = closed || System.nanoTime() - deadline >= 0;
      switch (LongPoll.decide(seen, current, connected.getAsBoolean(), waitOver)) {
        case ANSWER -> {
          long at = current.orElseThrow();
          byte[] bytes = body.at(at);
          if (bytes == null) {
            exchange.getResponseHeaders().set(INDEX_HEADER, Long.toString(at));
            error(exchange, 404, "no such configuration value");
          } else {
            AgentJson.ok(exchange, bytes, Optional.of(at));
          }
          return;
        }
        case UNAVAILABLE -> {
          exchange.getResponseHeaders().set("Retry-After", "1");
          error(exchange, 503, "the agent is not connected to ZooKeeper (or has not loaded this view yet): "
              + "it cannot tell; ask again");
          return;
        }
        case WAIT -> w.awaitChange(changes, deadline);
      }
    }
  }

  private Self self(Copy c) {
    var a = c.assignment();
    return new Self(a.replicaSet(), a.instanceId(), a.nodeId(), host, c.process().pid(), a.ports(), a.restarts(),
        a.revision(), a.specVersion());
  }

  private SetWatch watchOf(Copy c) {
    watch(c.replicaSet());
    SetWatch w = watches.get(c.replicaSet());
    // Closed meanwhile (the agent is closing): a watch of no use that only answers 503.
    return w != null ? w : new SetWatch(client, layout, c.replicaSet(), ticks, () -> { });
  }

  private Optional<Copy> authenticate(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return tokens.instanceOf(header.substring(7).strip()).flatMap(copies);
  }

  private static String refusal(CopyPeers.Verdict peer) {
    String why = peer == CopyPeers.Verdict.UNKNOWN_CONNECTION
        ? "this connection cannot be traced to a process of this host"
        : "this connection does not come from a process of the copy the token belongs to";
    return why + ": a token is good only for its own copy";
  }

  private static void error(HttpExchange exchange, int code, String message) throws IOException {
    AgentJson.error(exchange, code, message);
  }

  @Override
  public void close() {
    closed = true;
    watches.values().forEach(SetWatch::close);
    watches.clear();
  }
}
