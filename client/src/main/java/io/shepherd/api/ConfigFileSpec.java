package io.shepherd.api;

/**
 * A file the agent keeps filled with the replica set's configuration values, in each copy's working directory, and
 * what the copy is told when they change (Nomad's template {@code change_mode}).
 *
 * @param path     relative to the copy's working directory; no {@code ..}, not absolute
 * @param format   {@code json} (one object, key to value) or {@code env} ({@code KEY=value} lines, the value
 *                 single-quoted for a shell); {@code json} when absent
 * @param onChange {@code none} (the file is rewritten, nothing else), {@code restart} (a write or delete of a value
 *                 starts a rolling restart of the set, within its rollout bounds; new copies start with the new
 *                 values) or {@code signal:HUP} (also {@code signal:USR1}, {@code signal:USR2}); {@code none} when
 *                 absent
 */
public record ConfigFileSpec(String path, String format, String onChange) {
  public static final String JSON = "json";
  public static final String ENV = "env";
  public static final String NONE = "none";
  public static final String RESTART = "restart";
  public static final String SIGNAL_PREFIX = "signal:";

  public ConfigFileSpec {
    format = format == null ? JSON : format;
    onChange = onChange == null ? NONE : onChange;
  }
}
