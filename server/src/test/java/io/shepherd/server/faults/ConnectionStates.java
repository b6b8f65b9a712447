package io.shepherd.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * The connection states some ZooKeeper clients report from now on, as Curator tells their own listeners: the event
 * that ends a fault's uncertainty (a client saw ZooKeeper go, or gave its session up) instead of a fixed wait.
 * Close it to stop listening.
 */
final class ConnectionStates implements AutoCloseable {
  private final Map<String, CuratorFramework> clients;
  private final Map<String, List<ConnectionState>> seen = new LinkedHashMap<>();
  private final Map<String, ConnectionStateListener> listeners = new LinkedHashMap<>();

  /** Listens to {@code clients}, by the names the failures use. */
  ConnectionStates(Map<String, CuratorFramework> clients) {
    this.clients = new LinkedHashMap<>(clients);
    clients.forEach((name, client) -> {
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      ConnectionStateListener listener = (c, state) -> states.add(state);
      seen.put(name, states);
      listeners.put(name, listener);
      client.getConnectionStateListenable().addListener(listener);
    });
  }

  /** Waits until every client has reported {@code state}. */
  void awaitAll(ConnectionState state, Duration atMost) {
    await().atMost(atMost).untilAsserted(() -> assertThat(seen()).as("the states each client reported")
        .allSatisfy((name, states) -> assertThat(states).as(name).contains(state)));
  }

  /** What each client reported, in order. */
  Map<String, List<ConnectionState>> seen() {
    Map<String, List<ConnectionState>> copy = new LinkedHashMap<>();
    seen.forEach((name, states) -> copy.put(name, new ArrayList<>(states)));
    return copy;
  }

  @Override
  public void close() {
    listeners.forEach((name, listener) -> clients.get(name).getConnectionStateListenable().removeListener(listener));
  }
}
