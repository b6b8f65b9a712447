package io.shepherd.server.api;

import io.shepherd.api.ConfigFileSpec;
import io.shepherd.api.ReplicaSetSpec;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a replica set for a change of its configuration values when its config file says so
 * ({@code configFile.onChange: restart}): a rolling restart ({@link RolloutWrites#restartRollout}), so the copies are
 * replaced within the set's rollout bounds ({@code maxSurge}, {@code maxUnavailable}) and each new copy's file is
 * written from a fresh read before it starts. Other sets, and sets without such a file, are left alone.
 */
public final class ConfigRestarts {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigRestarts.class);

  private final ReplicaSetReads sets;
  private final RolloutWrites rollouts;

  public ConfigRestarts(ReplicaSetReads sets, RolloutWrites rollouts) {
    this.sets = sets;
    this.rollouts = rollouts;
  }

  /**
   * A configuration value of {@code name} was written or deleted by {@code who}.
   *
   * @return whether a rolling restart was started
   */
  public boolean changed(String name, String who) throws Exception {
    if (!restartsOnChange(name)) {
      return false;
    }
    try {
      rollouts.restartRollout(name, who);
    } catch (ApiException e) {
      if (e.status() != 404 && e.status() != 409) {
        throw e;
      }
      // Deleted, or being deleted, since it was read: its copies go anyway.
      LOG.info("configuration of {} changed; not restarting it: {}", name, e.getMessage());
      return false;
    }
    LOG.info("configuration of {} changed by {}; rolling restart started", name, who);
    return true;
  }

  private boolean restartsOnChange(String name) {
    return sets.status(name)
        .map(s -> s.spec())
        .map(ReplicaSetSpec::configFile)
        .map(ConfigFileSpec::onChange)
        .filter(ConfigFileSpec.RESTART::equals)
        .isPresent();
  }
}
