package io.shepherd.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.server.testing.Api;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks every server in turn, all along a scenario, whether it leads ({@code GET /leader}), and remembers every time
 * two of them did at once. The readings are not simultaneous, so two leaders are only concluded from a server that
 * said it led both before and after another said the same: leadership cannot have moved back and forth in between,
 * since each claim is a ZooKeeper transaction. A server that does not answer counts as not leading.
 */
final class LeaderSampler implements AutoCloseable {
  private record Reading(int server, boolean leads) {}

  private final List<Api> servers;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "leader-sampler");
    t.setDaemon(true);
    return t;
  });
  private final Deque<Reading> recent = new ArrayDeque<>();
  private final List<String> twoLeaders = new ArrayList<>();
  private int next;
  private long samples;

  LeaderSampler(List<Api> servers) {
    this.servers = List.copyOf(servers);
    timer.scheduleWithFixedDelay(this::sample, 0, 50, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    int server = next;
    next = (next + 1) % servers.size();
    boolean leads;
    try {
      leads = servers.get(server).leader().isLeader();
    } catch (Exception | AssertionError e) {
      leads = false;
    }
    record(new Reading(server, leads));
  }

  private synchronized void record(Reading reading) {
    samples++;
    if (reading.leads()) {
      List<Reading> since = new ArrayList<>();
      for (Reading r : recent) { // newest first
        if (r.server() == reading.server()) {
          if (r.leads() && since.stream().anyMatch(Reading::leads)) {
            twoLeaders.add("server " + reading.server() + " led before and after server "
                + since.stream().filter(Reading::leads).findFirst().orElseThrow().server() + " said it led");
          }
          break;
        }
        since.add(r);
      }
    }
    recent.addFirst(reading);
    if (recent.size() > 2 * servers.size()) {
      recent.removeLast();
    }
  }

  /** Asserts that no two servers were ever seen leading at once, and that the sampler did look. */
  synchronized void assertNeverTwoLeaders() {
    assertThat(samples).as("leadership samples").isGreaterThan(10);
    assertThat(twoLeaders).as("moments two servers led").isEmpty();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
