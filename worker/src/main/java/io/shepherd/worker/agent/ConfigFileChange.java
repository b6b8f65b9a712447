package io.shepherd.worker.agent;

import io.shepherd.worker.record.ConfigFile;
import java.util.Optional;

/**
 * What the agent does for one copy when its set's configuration values change (Nomad's template
 * {@code change_mode}). Pure.
 *
 * <p>{@code restart} is not the agent's to do: the server starts a rolling restart of the set when one of its values
 * is written or deleted, which replaces the copies within the set's rollout bounds, each new copy starting with a file
 * written from a fresh read. Until its copy is replaced the agent keeps the file current, as with {@code none}.
 */
final class ConfigFileChange {
  /** What to do. */
  sealed interface Action {}

  /** The file already holds these values: nothing. */
  record Unchanged() implements Action {}

  /** Rewrite the file and nothing else ({@code onChange: none}, and {@code restart}: the server replaces the copy). */
  record Write() implements Action {}

  /** Rewrite the file, then send the copy a signal ({@code signal:HUP}). */
  record Signal(String name) implements Action {}

  private ConfigFileChange() {}

  /**
   * @param file    the copy's config file
   * @param changed whether the rendered values differ from what the copy's file holds
   */
  static Action decide(ConfigFile file, boolean changed) {
    if (!changed) {
      return new Unchanged();
    }
    Optional<String> signal = file.signal();
    if (signal.isPresent()) {
      return new Signal(signal.get());
    }
    return new Write();
  }
}
