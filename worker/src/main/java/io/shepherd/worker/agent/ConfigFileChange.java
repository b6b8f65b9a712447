package io.shepherd.worker.agent;

import io.shepherd.worker.record.ConfigFile;
import java.util.Optional;

/**
 * What the agent does for one copy when its set's configuration values change (Nomad's template
 * {@code change_mode}). Pure.
 */
final class ConfigFileChange {
  /** What to do. */
  sealed interface Action {}

  /** The file already holds these values: nothing. */
  record Unchanged() implements Action {}

  /** Rewrite the file and nothing else ({@code onChange: none}). */
  record Write() implements Action {}

  /** Rewrite the file, then send the copy a signal ({@code signal:HUP}). */
  record Signal(String name) implements Action {}

  /** Rewrite the file, then restart the copy in place ({@code restart}). */
  record Restart() implements Action {}

  /**
   * Not now: another copy of the set on this node is being restarted for a change and is not ready again yet; this
   * one is looked at again when it is.
   */
  record Wait() implements Action {}

  private ConfigFileChange() {}

  /**
   * @param file           the copy's config file
   * @param changed        whether the rendered values differ from what the copy's file holds
   * @param otherRestarting whether another copy of the set on this node is being restarted for a change
   */
  static Action decide(ConfigFile file, boolean changed, boolean otherRestarting) {
    if (!changed) {
      return new Unchanged();
    }
    Optional<String> signal = file.signal();
    if (signal.isPresent()) {
      return new Signal(signal.get());
    }
    if (file.restartsOnChange()) {
      return otherRestarting ? new Wait() : new Restart();
    }
    return new Write();
  }
}
