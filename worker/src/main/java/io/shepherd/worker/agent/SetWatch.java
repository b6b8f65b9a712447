package io.shepherd.worker.agent;

import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * What the local API knows of one replica set: its configuration values ({@code /config/{name}}) and its copies'
 * election ({@code /copy-elections/{name}}), each in a {@link CuratorCache} in the agent's one session, each with an
 * index that moves whenever what it answers changes (the values; the participants), and only then: taken from one
 * counter of the agent, so indexes never go back while the agent runs. Long polls wait on this object's monitor;
 * every change, and every change of the connection ({@link #poke}), wakes them.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once. Thread-safe; cache listeners run on Curator's thread.
 */
final class SetWatch implements Closeable {
  private final String configPath;
  private final String electionPath;
  private final CuratorCache config;
  private final CuratorCache election;
  private final AtomicLong ticks;
  private final Runnable onConfigChanged;
  private long changes;
  private OptionalLong configIndex = OptionalLong.empty();
  private OptionalLong leaderIndex = OptionalLong.empty();
  private Map<String, String> lastValues = Map.of();
  private List<CopyElection.Participant> lastParticipants = List.of();

  /** @param onConfigChanged told (on Curator's thread) each time the values change, once loaded */
  SetWatch(CuratorFramework client, ZkLayout layout, String replicaSet, AtomicLong ticks, Runnable onConfigChanged) {
    this.onConfigChanged = onConfigChanged;
    this.configPath = layout.configOf(replicaSet);
    this.electionPath = layout.copyElection(replicaSet);
    this.ticks = ticks;
    this.config = CuratorCache.build(client, configPath);
    this.election = CuratorCache.build(client, electionPath);
    config.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, before, after) -> configChanged())
        .forInitialized(this::configChanged)
        .build());
    election.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, before, after) -> electionChanged())
        .forInitialized(this::electionChanged)
        .build());
  }

  void start() {
    config.start();
    election.start();
  }

  private void configChanged() {
    boolean changed;
    synchronized (this) {
      Map<String, String> values = configValues();
      changed = configIndex.isEmpty() || !values.equals(lastValues);
      if (changed) {
        lastValues = values;
        configIndex = OptionalLong.of(ticks.incrementAndGet());
        poke();
      }
    }
    if (changed) {
      onConfigChanged.run();
    }
  }

  private synchronized void electionChanged() {
    List<CopyElection.Participant> participants = participants();
    if (leaderIndex.isEmpty() || !participants.equals(lastParticipants)) {
      lastParticipants = participants;
      leaderIndex = OptionalLong.of(ticks.incrementAndGet());
      poke();
    }
  }

  /** Wakes every waiter, to look again (a change, or the connection went or came back). */
  synchronized void poke() {
    changes++;
    notifyAll();
  }

  /** A count of the changes so far, to pass to {@link #awaitChange}. */
  synchronized long changes() {
    return changes;
  }

  /** Waits until something changed after {@code seen} (see {@link #changes}) or {@code deadlineNanos} passed. */
  synchronized void awaitChange(long seen, long deadlineNanos) throws InterruptedException {
    while (changes == seen) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** The index of the configuration values; empty until they are loaded. */
  synchronized Optional<Long> configIndex() {
    return configIndex.isPresent() ? Optional.of(configIndex.getAsLong()) : Optional.empty();
  }

  /** The index of the election; empty until it is loaded. */
  synchronized Optional<Long> leaderIndex() {
    return leaderIndex.isPresent() ? Optional.of(leaderIndex.getAsLong()) : Optional.empty();
  }

  /** The configuration values, key to value, sorted by key. */
  Map<String, String> configValues() {
    Map<String, String> values = new TreeMap<>();
    config.stream().filter(d -> isChild(configPath, d))
        .forEach(d -> values.put(nameOf(d), Znodes.CONFIG_VALUE.decode(d.getData())));
    return values;
  }

  /** Who leads now. */
  CopyElection.Outcome election() {
    return CopyElection.decide(participants());
  }

  private List<CopyElection.Participant> participants() {
    return election.stream().filter(d -> isChild(electionPath, d))
        .map(d -> new CopyElection.Participant(d.getPath(), Znodes.COPY_ELECTION_ENTRY.decode(d.getData()),
            d.getStat().getCzxid()))
        .sorted(java.util.Comparator.comparing(CopyElection.Participant::path))
        .toList();
  }

  private static boolean isChild(String parent, ChildData d) {
    return d.getPath().startsWith(parent + "/") && d.getPath().indexOf('/', parent.length() + 1) < 0;
  }

  private static String nameOf(ChildData d) {
    return d.getPath().substring(d.getPath().lastIndexOf('/') + 1);
  }

  @Override
  public void close() {
    config.close();
    election.close();
    poke();
  }
}
