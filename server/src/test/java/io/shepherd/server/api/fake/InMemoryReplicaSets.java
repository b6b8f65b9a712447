package io.shepherd.server.api.fake;

import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.server.api.ApiException;
import io.shepherd.server.api.ReplicaSetReads;
import io.shepherd.server.api.ReplicaSetWrites;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Replica sets in memory, with the store's semantics: a version per spec that starts at 0 and grows by one with every
 * write, compare-and-set on it with {@code If-Match} (412), 404 for unknown sets and copies, 409 while deleting.
 * Copies are added by the test; they are all live (the fake has no controller to make them pending).
 */
public final class InMemoryReplicaSets implements ReplicaSetReads, ReplicaSetWrites {
  private final Map<String, Versioned<StoredReplicaSet>> specs = new TreeMap<>();
  private final Map<String, Map<String, Copy>> copies = new TreeMap<>();

  /** A copy of a replica set: its instance, and whether it still lives (an exited one keeps its assignment). */
  public record Copy(Instance instance, boolean live) {}

  private final List<String> restartsRequested = new java.util.ArrayList<>();
  private final List<String> stopsRequested = new java.util.ArrayList<>();

  // ---- set-up, as the controller and the agents would ----------------------------------------------------------

  /** Adds a live copy of a replica set on a node, as an agent registering it would. */
  public synchronized Instance addCopy(String replicaSet, String id, String node) {
    return addCopy(replicaSet, id, node, true);
  }

  /** Adds a live copy that is ready for clients or not, as its agent's readiness probe says. */
  public synchronized Instance addCopy(String replicaSet, String id, String node, boolean ready) {
    Instance instance = new Instance(id, replicaSet, node, node + ".example", 1000 + copiesOf(replicaSet).size(),
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(copiesOf(replicaSet).size()), version(replicaSet),
        Map.of(), ready);
    copiesOf(replicaSet).put(id, new Copy(instance, true));
    return instance;
  }

  /** Marks a copy exited: it is no longer live, but its assignment (and so its node) is still known. */
  public synchronized void exit(String replicaSet, String id) {
    Copy copy = copiesOf(replicaSet).get(id);
    copiesOf(replicaSet).put(id, new Copy(copy.instance(), false));
  }

  /** Forgets every replica set and copy. */
  public synchronized void clear() {
    restartsRequested.clear();
    stopsRequested.clear();
    specs.clear();
    copies.clear();
  }

  /** Removes a deleting replica set, as the leader does once its copies are gone. */
  public synchronized void finishDeleting(String name) {
    specs.remove(name);
    copies.remove(name);
  }

  public synchronized Optional<Copy> copy(String replicaSet, String id) {
    return Optional.ofNullable(copies.getOrDefault(replicaSet, Map.of()).get(id));
  }

  public synchronized boolean hasCopiesOrSpec(String replicaSet) {
    return specs.containsKey(replicaSet) || !copies.getOrDefault(replicaSet, Map.of()).isEmpty();
  }

  public synchronized List<Copy> copiesOn(String node) {
    return copies.values().stream().flatMap(m -> m.values().stream())
        .filter(c -> c.instance().node().equals(node)).toList();
  }

  public synchronized Optional<Versioned<StoredReplicaSet>> stored(String name) {
    return Optional.ofNullable(specs.get(name));
  }

  // ---- reads ---------------------------------------------------------------------------------------------------

  @Override
  public synchronized List<ReplicaSetSummary> summaries() {
    List<ReplicaSetSummary> out = new ArrayList<>();
    specs.forEach((name, spec) -> out.add(new ReplicaSetSummary(name, spec.version(), spec.value().desired(),
        live(name).size(), 0, ready(name), spec.value().deleting(), 0)));
    return out;
  }

  @Override
  public synchronized Optional<ReplicaSetStatus> status(String name) {
    return stored(name).map(spec -> status(name, spec));
  }

  @Override
  public synchronized ReplicaSetStatus status(String name, Versioned<StoredReplicaSet> spec) {
    List<Instance> live = live(name);
    return new ReplicaSetStatus(name, spec.version(), spec.value().spec(), spec.value().desired(), live.size(), 0,
        ready(name), spec.value().deleting(), 0, Optional.empty(), live, Optional.empty());
  }

  private int ready(String name) {
    return (int) live(name).stream().filter(Instance::ready).count();
  }

  @Override
  public synchronized Optional<List<Instance>> instances(String name) {
    return stored(name).map(spec -> live(name));
  }

  // ---- writes --------------------------------------------------------------------------------------------------

  @Override
  public synchronized Applied apply(String name, ReplicaSetSpec spec, OptionalInt ifMatch, String by) {
    Versioned<StoredReplicaSet> current = specs.get(name);
    if (current == null) {
      if (ifMatch.isPresent()) {
        throw ApiException.preconditionFailed("replica set " + name + " does not exist, so If-Match cannot match");
      }
      return new Applied(put(name, new Versioned<>(StoredReplicaSet.of(spec, by), 0)), true);
    }
    if (current.value().deleting()) {
      throw ApiException.conflict("replica set " + name + " is being deleted; apply it again once it is gone");
    }
    return new Applied(write(name, current, StoredReplicaSet.of(spec, by), ifMatch), false);
  }

  @Override
  public synchronized Versioned<StoredReplicaSet> scale(String name, int replicas, OptionalInt ifMatch,
      String by) {
    return update(name, ifMatch, s -> {
      if (s.deleting()) {
        throw ApiException.conflict("replica set " + name + " is being deleted");
      }
      return StoredReplicaSet.of(s.spec().withReplicas(replicas), by);
    });
  }

  @Override
  public synchronized Versioned<StoredReplicaSet> delete(String name, OptionalInt ifMatch, String by) {
    return update(name, ifMatch, s -> s.markDeleting(by));
  }

  @Override
  public synchronized Versioned<StoredReplicaSet> kill(String name, String instanceId, boolean scale,
      String by) {
    Versioned<StoredReplicaSet> current = existing(name);
    if (copiesOf(name).remove(instanceId) == null) {
      throw ApiException.notFound("instance " + instanceId + " of replica set " + name);
    }
    StoredReplicaSet s = current.value();
    if (scale && s.spec().replicas() > 0 && !s.deleting()) {
      return put(name, new Versioned<>(StoredReplicaSet.of(s.spec().withReplicas(s.spec().replicas() - 1), by),
          current.version() + 1));
    }
    stopsRequested.add(name + "/" + instanceId + " by " + by);
    return current;
  }

  @Override
  public synchronized Versioned<StoredReplicaSet> restart(String name, String instanceId, String by) {
    Versioned<StoredReplicaSet> current = existing(name);
    if (!copiesOf(name).containsKey(instanceId)) {
      throw ApiException.notFound("instance " + instanceId + " of replica set " + name);
    }
    restartsRequested.add(name + "/" + instanceId + " by " + by);
    return current;
  }

  /** The restarts asked for, as {@code name/id by caller}, in order. */
  public synchronized List<String> restartsRequested() {
    return List.copyOf(restartsRequested);
  }

  /** The stops asked for without lowering the count, as {@code name/id by caller}, in order. */
  public synchronized List<String> stopsRequested() {
    return List.copyOf(stopsRequested);
  }

  private Versioned<StoredReplicaSet> update(String name, OptionalInt ifMatch, UnaryOperator<StoredReplicaSet> change) {
    Versioned<StoredReplicaSet> current = existing(name);
    return write(name, current, change.apply(current.value()), ifMatch);
  }

  private Versioned<StoredReplicaSet> write(String name, Versioned<StoredReplicaSet> current, StoredReplicaSet next,
      OptionalInt ifMatch) {
    if (ifMatch.isPresent() && ifMatch.getAsInt() != current.version()) {
      throw ApiException.preconditionFailed("If-Match names version " + ifMatch.getAsInt()
          + " but the replica set is at version " + current.version());
    }
    return put(name, new Versioned<>(next, current.version() + 1));
  }

  private Versioned<StoredReplicaSet> existing(String name) {
    Versioned<StoredReplicaSet> current = specs.get(name);
    if (current == null) {
      throw ApiException.notFound("replica set " + name);
    }
    return current;
  }

  private Versioned<StoredReplicaSet> put(String name, Versioned<StoredReplicaSet> spec) {
    specs.put(name, spec);
    return spec;
  }

  private int version(String name) {
    Versioned<StoredReplicaSet> spec = specs.get(name);
    return spec == null ? 0 : spec.version();
  }

  private Map<String, Copy> copiesOf(String name) {
    return copies.computeIfAbsent(name, k -> new LinkedHashMap<>());
  }

  private List<Instance> live(String name) {
    return copiesOf(name).values().stream().filter(Copy::live).map(Copy::instance)
        .sorted(Comparator.comparing(Instance::startedAt).thenComparing(Instance::id)).toList();
  }
}
