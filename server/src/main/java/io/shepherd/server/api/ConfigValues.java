package io.shepherd.server.api;

import io.shepherd.server.state.Versioned;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Configuration values of replica sets, each with a version. Writes are compare-and-set with {@code ifMatch};
 * refusals are {@link ApiException}s: 404 for an unknown value, 412 when {@code ifMatch} does not match, 409 when
 * two creations race. {@code by} is the caller's name (the API token's), stored with the change so that its event
 * names who.
 */
public interface ConfigValues {
  /** A value and its version; empty when there is none. */
  Optional<Versioned<String>> get(String name, String key);

  /** Creates or replaces a value; returns its new version. */
  int put(String name, String key, String value, OptionalInt ifMatch, String by) throws Exception;

  /** Removes a value. */
  void delete(String name, String key, OptionalInt ifMatch, String by) throws Exception;
}
