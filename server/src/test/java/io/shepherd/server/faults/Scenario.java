package io.shepherd.server.faults;

import static org.awaitility.Awaitility.await;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.testing.Api;
import io.shepherd.server.testing.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one fault scenario started, so that {@link #close()} (from {@code @AfterEach}) stops all of it even when the
 * test failed half-way: its replica sets are deleted (so that the next scenario's invariants do not inherit them),
 * then every agent, proxy and client is closed in reverse order, and last every process of its markers is killed.
 */
final class Scenario implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scenario.class);
  private final Api api;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<String, String> replicaSets = new LinkedHashMap<>();

  Scenario(Api api) {
    this.api = api;
  }

  <T extends AutoCloseable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /** Declares a replica set of {@code sleep marker} copies. */
  void apply(String name, int replicas, String marker) throws Exception {
    replicaSets.put(name, marker);
    api.apply(name, Copies.sleeping(replicas, marker));
  }

  void apply(String name, ReplicaSetSpec spec, String marker) throws Exception {
    replicaSets.put(name, marker);
    api.apply(name, spec);
  }

  @Override
  public void close() throws Exception {
    for (String name : replicaSets.keySet()) {
      try {
        if (api.get(name).isPresent()) {
          api.delete(name);
          await().atMost(Duration.ofSeconds(20)).until(() -> api.get(name).isEmpty());
        }
      } catch (Exception | AssertionError e) {
        LOG.warn("could not delete {} after the test: {}", name, e.toString());
      }
    }
    try {
      for (int i = closeables.size() - 1; i >= 0; i--) {
        closeables.get(i).close();
      }
    } finally {
      replicaSets.values().forEach(Processes::sigkillAllWith);
    }
  }
}
