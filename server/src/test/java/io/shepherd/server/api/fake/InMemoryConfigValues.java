package io.shepherd.server.api.fake;

import io.shepherd.server.api.ApiException;
import io.shepherd.server.api.ConfigRestarts;
import io.shepherd.server.api.ConfigValues;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Configuration values in memory, with the store's semantics: created at version 0, one more with every write,
 * compare-and-set with {@code If-Match} (412), 404 when deleting what is not there, nothing written when nothing
 * changes, and the set's rolling restart decided by {@link ConfigRestarts} from the specs it is given (recorded as a
 * change, as the store writes it with the value). A failure set with {@link #failNextWrite} is thrown by the next
 * write before anything is written, as the store's refusals are.
 */
public final class InMemoryConfigValues implements ConfigValues {
  private final Map<String, Versioned<String>> values = new HashMap<>();
  private final List<String> changes = new ArrayList<>();
  private final Function<String, Optional<StoredReplicaSet>> sets;
  private Exception nextFailure;

  /** Values of sets that are never declared. */
  public InMemoryConfigValues() {
    this(name -> Optional.empty());
  }

  /** Values of the sets {@code sets} holds. */
  public InMemoryConfigValues(InMemoryReplicaSets sets) {
    this(name -> sets.stored(name).map(Versioned::value));
  }

  private InMemoryConfigValues(Function<String, Optional<StoredReplicaSet>> sets) {
    this.sets = sets;
  }

  /** Forgets every value. */
  public synchronized void clear() {
    values.clear();
    changes.clear();
    nextFailure = null;
  }

  /** Makes the next write fail with {@code failure}, writing nothing. */
  public synchronized void failNextWrite(Exception failure) {
    nextFailure = failure;
  }

  /**
   * The changes made, in order: {@code "set name/key by caller"}, {@code "deleted name/key by caller"}, and
   * {@code "restart name by caller"} for the rolling restart written with a change.
   */
  public synchronized List<String> changes() {
    return List.copyOf(changes);
  }

  @Override
  public synchronized Optional<Versioned<String>> get(String name, String key) {
    return Optional.ofNullable(values.get(name + "/" + key));
  }

  @Override
  public synchronized Written put(String name, String key, String value, OptionalInt ifMatch, String by)
      throws Exception {
    Versioned<String> current = values.get(name + "/" + key);
    if (current == null && ifMatch.isPresent()) {
      throw ApiException.preconditionFailed("config value " + name + "/" + key + " does not exist");
    }
    if (current != null && ifMatch.isPresent() && ifMatch.getAsInt() != current.version()) {
      throw ApiException.preconditionFailed(
          "config value " + name + "/" + key + " changed since the version If-Match names");
    }
    ConfigRestarts.Outcome outcome = ConfigRestarts.decide(
        Optional.ofNullable(current).map(Versioned::value), Optional.of(value), sets.apply(name));
    if (outcome == ConfigRestarts.Outcome.UNCHANGED) {
      return new Written(current.version(), outcome);
    }
    failIfAsked();
    int version = current == null ? 0 : current.version() + 1;
    values.put(name + "/" + key, new Versioned<>(value, version));
    changes.add("set " + name + "/" + key + " by " + by);
    restartIf(outcome, name, by);
    return new Written(version, outcome);
  }

  @Override
  public synchronized Written delete(String name, String key, OptionalInt ifMatch, String by) throws Exception {
    Versioned<String> current = values.get(name + "/" + key);
    if (current == null) {
      throw ApiException.notFound("config value " + name + "/" + key);
    }
    if (ifMatch.isPresent() && ifMatch.getAsInt() != current.version()) {
      throw ApiException.preconditionFailed("config value " + name + "/" + key + " changed since \""
          + ifMatch.getAsInt() + "\"");
    }
    ConfigRestarts.Outcome outcome =
        ConfigRestarts.decide(Optional.of(current.value()), Optional.empty(), sets.apply(name));
    failIfAsked();
    values.remove(name + "/" + key);
    changes.add("deleted " + name + "/" + key + " by " + by);
    restartIf(outcome, name, by);
    return new Written(current.version(), outcome);
  }

  private void failIfAsked() throws Exception {
    Exception failure = nextFailure;
    nextFailure = null;
    if (failure != null) {
      throw failure;
    }
  }

  private void restartIf(ConfigRestarts.Outcome outcome, String name, String by) {
    if (outcome == ConfigRestarts.Outcome.WRITE_AND_RESTART) {
      changes.add("restart " + name + " by " + by);
    }
  }
}
