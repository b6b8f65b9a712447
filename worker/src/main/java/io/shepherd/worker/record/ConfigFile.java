package io.shepherd.worker.record;

import java.util.Objects;
import java.util.Optional;

/**
 * The file an agent keeps filled with its copy's replica-set configuration values (the spec's {@code configFile}),
 * as the assignment carries it.
 *
 * @param path     relative to the copy's working directory (validated by the server: no {@code ..})
 * @param format   {@code json} or {@code env}
 * @param onChange {@code none}, {@code restart} or {@code signal:NAME}
 */
public record ConfigFile(String path, String format, String onChange) {
  public static final String JSON = "json";
  public static final String ENV = "env";
  public static final String NONE = "none";
  public static final String RESTART = "restart";
  public static final String SIGNAL_PREFIX = "signal:";

  public ConfigFile {
    Objects.requireNonNull(path, "path");
    format = format == null ? JSON : format;
    onChange = onChange == null ? NONE : onChange;
  }

  /** The signal to send on a change ({@code HUP}), if the policy is one. */
  public Optional<String> signal() {
    return onChange.startsWith(SIGNAL_PREFIX) ? Optional.of(onChange.substring(SIGNAL_PREFIX.length()))
        : Optional.empty();
  }
}
