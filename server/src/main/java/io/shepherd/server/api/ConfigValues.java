package io.shepherd.server.api;

import io.shepherd.server.state.Versioned;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Configuration values of replica sets, each with a version. Writes are compare-and-set with {@code ifMatch};
 * refusals are {@link ApiException}s: 404 for an unknown value, 412 when {@code ifMatch} does not match, 409 when
 * the value or its set keeps changing under the write. {@code by} is the caller's name (the API token's), stored with
 * the change so that its event names who. A write that changes a value of a set whose config file restarts on change
 * starts the set's rolling restart in the same transaction ({@link ConfigRestarts}); a write that changes nothing
 * writes nothing.
 */
public interface ConfigValues {
  /** What a write did: the value's version afterwards, and whether it wrote, and restarted the set. */
  record Written(int version, ConfigRestarts.Outcome outcome) {}

  /**
   * A value and its version as ZooKeeper holds it now (not as this server's view may still hold it), so a caller reads
   * what it just wrote; empty when there is none.
   */
  Optional<Versioned<String>> get(String name, String key) throws Exception;

  /** Creates or replaces a value. */
  Written put(String name, String key, String value, OptionalInt ifMatch, String by) throws Exception;

  /** Removes a value; the version in the answer is the one it had. */
  Written delete(String name, String key, OptionalInt ifMatch, String by) throws Exception;
}
