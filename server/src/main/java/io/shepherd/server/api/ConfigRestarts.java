package io.shepherd.server.api;

import io.shepherd.api.ConfigFileSpec;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.state.StoredReplicaSet;
import java.util.Optional;

/**
 * What a write of a configuration value does, decided from what the write itself read from ZooKeeper (the value and
 * the set's spec, in the same compare-and-set), never from this server's view, which may lag: nothing when the value
 * would not change; the value alone; or the value and a rolling restart of the set in the same transaction, when the
 * set's config file says {@code onChange: restart} ({@link ConfigStore}). A set being deleted, or not declared yet,
 * is not restarted: its copies go anyway, or start with the new value.
 */
public final class ConfigRestarts {
  private ConfigRestarts() {}

  /** What a write does. */
  public enum Outcome {
    /** The value is already what is asked: nothing is written, nothing restarted. */
    UNCHANGED,
    /** The value is written (set or deleted). */
    WRITE,
    /** The value is written and, in the same transaction, a new revision of the set's template: a rolling restart. */
    WRITE_AND_RESTART
  }

  /**
   * @param current the value as read; empty when it is not set
   * @param wanted  the value asked for; empty for a delete
   * @param set     the set's spec as read in the same attempt; empty when it is not declared
   */
  public static Outcome decide(Optional<String> current, Optional<String> wanted, Optional<StoredReplicaSet> set) {
    if (current.equals(wanted)) {
      return Outcome.UNCHANGED;
    }
    return set.filter(s -> !s.deleting()).map(StoredReplicaSet::spec).filter(ConfigRestarts::restartsOnChange)
        .isPresent() ? Outcome.WRITE_AND_RESTART : Outcome.WRITE;
  }

  private static boolean restartsOnChange(ReplicaSetSpec spec) {
    return Optional.ofNullable(spec.configFile()).map(ConfigFileSpec::onChange).filter(ConfigFileSpec.RESTART::equals)
        .isPresent();
  }
}
