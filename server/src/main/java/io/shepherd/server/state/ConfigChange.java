package io.shepherd.server.state;

import java.util.Optional;

/**
 * The data of {@code /config/{name}}, the parent of a replica set's configuration values: their last change, written
 * by the API in the same transaction as the value, so that the event it gives can say which key and who. The value
 * itself stays out of it (and out of the event): it may be a secret.
 *
 * @param key     the key set or deleted
 * @param deleted whether it was deleted
 * @param by      who changed it over REST (the API token's name)
 */
public record ConfigChange(String key, boolean deleted, Optional<String> by) {
  public ConfigChange {
    by = by == null ? Optional.empty() : by;
  }

  /** {@code key} set by {@code who}. */
  public static ConfigChange set(String key, String who) {
    return new ConfigChange(key, false, Optional.of(who));
  }

  /** {@code key} deleted by {@code who}. */
  public static ConfigChange deleted(String key, String who) {
    return new ConfigChange(key, true, Optional.of(who));
  }
}
