package io.shepherd.fake;

import io.shepherd.api.Role;
import io.shepherd.api.WhoAmI;
import io.shepherd.api.ConfigValue;
import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.Instance;
import io.shepherd.api.LastExit;
import io.shepherd.api.LeaderInfo;
import io.shepherd.api.Node;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The state of a fake Shepherd cluster, in memory: what ZooKeeper would hold. Several {@link FakeShepherdServer}s
 * may share one store, as the servers of a real cluster share one ZooKeeper. Thread-safe (one monitor).
 */
public final class FakeStore {
  static final Instant EPOCH = Instant.parse("2024-05-01T12:00:00Z");

  /** A replica set as stored, with its copies. */
  private static final class Stored {
    ReplicaSetSpec spec;
    int version;
    boolean deleting;
    int getsUntilGone;
    final List<Instance> instances = new ArrayList<>();

    /** The revision a seeded rollout goes to (0: none seeded, as a server that predates rollouts answers). */
    int revision;

    ReplicaSetStatus status(String name) {
      return new ReplicaSetStatus(name, version, spec, deleting ? 0 : spec.replicas(), instances.size(), 0,
          (int) instances.stream().filter(Instance::ready).count(), deleting, 0, Optional.empty(), instances,
          Optional.empty(), revision, Optional.empty());
    }
  }

  private final Map<String, Stored> sets = new LinkedHashMap<>();
  private final Map<String, ConfigValue> config = new HashMap<>();
  private final Map<String, io.shepherd.api.Rollout> rollouts = new HashMap<>();
  private final Map<String, List<io.shepherd.api.Revision>> revisions = new HashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private final Map<String, List<String>> logs = new HashMap<>();
  private final Set<String> endedLogs = new HashSet<>();
  private LeaderInfo leader = new LeaderInfo(Optional.of("server-1"), "server-1", true, 3);
  private WhoAmI caller = new WhoAmI("admin", Role.ADMIN);
  private long lastEventId = 1000;
  private int instanceSeq;

  /**
   * Gives a seeded replica set a rollout and revisions, as the leader and the REST writes would have; the set then
   * runs the rollout's target revision.
   */
  public synchronized void seedRollout(String name, io.shepherd.api.Rollout rollout,
      List<io.shepherd.api.Revision> history) {
    rollouts.put(name, rollout);
    revisions.put(name, List.copyOf(history));
    sets.get(name).revision = rollout.toRevision();
  }

  synchronized Optional<io.shepherd.api.Rollout> rollout(String name) {
    return Optional.ofNullable(rollouts.get(name));
  }

  synchronized Optional<List<io.shepherd.api.Revision>> revisions(String name) {
    return sets.containsKey(name) ? Optional.of(revisions.getOrDefault(name, List.of())) : Optional.empty();
  }

  synchronized List<ReplicaSetSummary> summaries() {
    List<ReplicaSetSummary> list = new ArrayList<>();
    sets.forEach((name, s) -> {
      ReplicaSetStatus st = s.status(name);
      list.add(new ReplicaSetSummary(name, st.version(), st.desired(), st.live(), st.pending(), st.ready(),
          st.deleting(), 0));
    });
    return list;
  }

  /** The set as it is now; unlike {@link #read}, this does not advance a deletion. */
  synchronized Optional<ReplicaSetStatus> find(String name) {
    return Optional.ofNullable(sets.get(name)).map(s -> s.status(name));
  }

  /** A GET of a deleting set: it disappears after {@code getsUntilGone} such reads, as if its copies stopped. */
  synchronized Optional<ReplicaSetStatus> read(String name) {
    Stored s = sets.get(name);
    if (s == null) {
      return Optional.empty();
    }
    if (s.deleting && s.getsUntilGone-- <= 0) {
      sets.remove(name);
      publish(EventType.REPLICA_SET_DELETED, name, null, "deleted");
      return Optional.empty();
    }
    return Optional.of(s.status(name));
  }

  /** Creates or replaces; returns whether it created. */
  synchronized boolean put(String name, ReplicaSetSpec spec) {
    Stored s = sets.get(name);
    boolean created = s == null;
    if (created) {
      s = new Stored();
      sets.put(name, s);
    }
    s.spec = spec;
    s.version++;
    resize(name, s);
    publish(EventType.SPEC_CHANGED, name, null, "spec version " + s.version);
    return created;
  }

  synchronized void scale(String name, int replicas) {
    Stored s = sets.get(name);
    s.spec = s.spec.withReplicas(replicas);
    s.version++;
    resize(name, s);
    publish(EventType.SCALED, name, null, "scaled to " + replicas);
  }

  /** Creates or replaces a set directly, as seeding for a test. */
  public void seed(String name, ReplicaSetSpec spec) {
    put(name, spec);
  }

  synchronized ReplicaSetStatus delete(String name) {
    Stored s = sets.get(name);
    s.deleting = true;
    s.getsUntilGone = 1;
    return s.status(name);
  }

  /** Stops one copy; replaces it unless {@code scale}, which lowers the target instead. */
  synchronized boolean kill(String name, String id, boolean scale) {
    Stored s = sets.get(name);
    if (s == null || !s.instances.removeIf(i -> i.id().equals(id))) {
      return false;
    }
    publish(EventType.INSTANCE_DOWN, name, id, "stopped");
    if (scale) {
      s.spec = s.spec.withReplicas(s.spec.replicas() - 1);
      s.version++;
    }
    resize(name, s);
    return true;
  }

  /** Marks a copy ready or not, as its agent's readiness probe would. */
  public synchronized void setReady(String name, String id, boolean ready) {
    List<Instance> instances = sets.get(name).instances;
    instances.replaceAll(i -> i.id().equals(id) ? new Instance(i.id(), i.replicaSet(), i.node(), i.host(), i.pid(),
        i.startedAt(), i.specVersion(), i.ports(), ready, i.restarts(), i.lastExit()) : i);
  }

  /** Restarts one copy in place: same id, a new pid, one more restart. */
  synchronized boolean restart(String name, String id) {
    Stored s = sets.get(name);
    if (s == null) {
      return false;
    }
    for (int k = 0; k < s.instances.size(); k++) {
      Instance i = s.instances.get(k);
      if (i.id().equals(id)) {
        s.instances.set(k, new Instance(i.id(), i.replicaSet(), i.node(), i.host(), i.pid() + 1, i.startedAt(),
            i.specVersion(), i.ports(), i.ready(), i.restarts() + 1, new LastExit(-15, i.startedAt())));
        publish(EventType.INSTANCE_RESTARTED, name, id, "restarted in place");
        return true;
      }
    }
    return false;
  }

  private void resize(String name, Stored s) {
    while (s.instances.size() > s.spec.replicas()) {
      s.instances.remove(s.instances.size() - 1);
    }
    while (s.instances.size() < s.spec.replicas()) {
      int n = ++instanceSeq;
      Map<String, Integer> ports = new LinkedHashMap<>();
      List<String> names = s.spec.portNames();
      for (int p = 0; p < names.size(); p++) {
        ports.put(names.get(p), 20_000 + 10 * n + p);
      }
      s.instances.add(new Instance(name + "-" + n, name, "node-1", "127.0.0.1", 4000 + n, EPOCH.plusSeconds(n),
          s.version, ports));
    }
  }

  synchronized Optional<ConfigValue> config(String name, String key) {
    return Optional.ofNullable(config.get(name + "/" + key));
  }

  synchronized ConfigValue putConfig(String name, String key, String value) {
    ConfigValue old = config.get(name + "/" + key);
    ConfigValue v = new ConfigValue(name, key, value, old == null ? 0 : old.version() + 1);
    config.put(name + "/" + key, v);
    return v;
  }

  synchronized boolean deleteConfig(String name, String key) {
    return config.remove(name + "/" + key) != null;
  }

  synchronized List<Node> nodes() {
    return List.copyOf(nodes);
  }

  public synchronized void addNode(Node node) {
    nodes.add(node);
  }

  synchronized LeaderInfo leader() {
    return leader;
  }

  public synchronized void setLeader(LeaderInfo info) {
    leader = info;
  }

  synchronized WhoAmI caller() {
    return caller;
  }

  public synchronized void setCaller(WhoAmI who) {
    caller = who;
  }

  /** Appends an event with the next id and wakes every stream. */
  public synchronized Event publish(EventType type, String replicaSet, String instance, String message) {
    return publish(type, replicaSet, instance, message, null);
  }

  /** An event a request caused, by the token named {@code by}. */
  public synchronized Event publish(EventType type, String replicaSet, String instance, String message, String by) {
    long id = ++lastEventId;
    Event e = new Event(id, type, EPOCH.plusSeconds(id - 1000), Optional.ofNullable(replicaSet),
        Optional.ofNullable(instance), Optional.of("node-1"), message, Optional.ofNullable(by));
    events.add(e);
    notifyAll();
    return e;
  }

  public synchronized long lastEventId() {
    return lastEventId;
  }

  /** Events with an id above {@code after}, waiting up to {@code waitMillis} for one if there is none yet. */
  synchronized List<Event> eventsAfter(long after, long waitMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (true) {
      List<Event> found = events.stream().filter(e -> e.id() > after).toList();
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (!found.isEmpty() || left <= 0) {
        return found;
      }
      wait(left);
    }
  }

  public synchronized void appendLog(String name, String id, String line) {
    logs.computeIfAbsent(name + "/" + id, k -> new ArrayList<>()).add(line);
    notifyAll();
  }

  public synchronized void endLog(String name, String id) {
    endedLogs.add(name + "/" + id);
    notifyAll();
  }

  /** Log lines from index {@code from}, waiting up to {@code waitMillis} for one; null when ended and read. */
  synchronized List<String> logLines(String name, String id, int from, long waitMillis) throws InterruptedException {
    String k = name + "/" + id;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (true) {
      List<String> all = logs.getOrDefault(k, List.of());
      if (all.size() > from) {
        return List.copyOf(all.subList(from, all.size()));
      }
      if (endedLogs.contains(k)) {
        return null;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return List.of();
      }
      wait(left);
    }
  }

  synchronized int logSize(String name, String id) {
    return logs.getOrDefault(name + "/" + id, List.of()).size();
  }
}
