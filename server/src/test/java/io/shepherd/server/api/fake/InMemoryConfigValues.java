package io.shepherd.server.api.fake;

import io.shepherd.server.api.ApiException;
import io.shepherd.server.api.ConfigValues;
import io.shepherd.server.state.Versioned;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Configuration values in memory, with the znodes' semantics: created at version 0, one more with every write,
 * compare-and-set with {@code If-Match} (412), 404 when deleting what is not there.
 */
public final class InMemoryConfigValues implements ConfigValues {
  private final Map<String, Versioned<String>> values = new HashMap<>();
  private final List<String> changes = new ArrayList<>();

  /** Forgets every value. */
  public synchronized void clear() {
    values.clear();
    changes.clear();
  }

  /** The changes made, as {@code "set name/key by caller"} or {@code "deleted name/key by caller"}, in order. */
  public synchronized List<String> changes() {
    return List.copyOf(changes);
  }

  @Override
  public synchronized Optional<Versioned<String>> get(String name, String key) {
    return Optional.ofNullable(values.get(name + "/" + key));
  }

  @Override
  public synchronized int put(String name, String key, String value, OptionalInt ifMatch, String by) {
    Versioned<String> current = values.get(name + "/" + key);
    if (current == null && ifMatch.isPresent()) {
      throw ApiException.preconditionFailed("config value " + name + "/" + key + " does not exist");
    }
    if (current != null && ifMatch.isPresent() && ifMatch.getAsInt() != current.version()) {
      throw ApiException.preconditionFailed(
          "config value " + name + "/" + key + " changed since the version If-Match names");
    }
    int version = current == null ? 0 : current.version() + 1;
    values.put(name + "/" + key, new Versioned<>(value, version));
    changes.add("set " + name + "/" + key + " by " + by);
    return version;
  }

  @Override
  public synchronized void delete(String name, String key, OptionalInt ifMatch, String by) {
    Versioned<String> current = values.get(name + "/" + key);
    if (current == null) {
      throw ApiException.notFound("config value " + name + "/" + key);
    }
    if (ifMatch.isPresent() && ifMatch.getAsInt() != current.version()) {
      throw ApiException.preconditionFailed("config value " + name + "/" + key + " changed since \""
          + ifMatch.getAsInt() + "\"");
    }
    values.remove(name + "/" + key);
    changes.add("deleted " + name + "/" + key + " by " + by);
  }
}
