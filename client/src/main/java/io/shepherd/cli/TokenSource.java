package io.shepherd.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the CLI's API token comes from, first found wins: {@code --token}, the file {@code --token-file} names,
 * {@code SHEPHERD_TOKEN}, then {@code $XDG_CONFIG_HOME/shepherd/token} (by default {@code ~/.config/shepherd/token})
 * if that file exists. A file's surrounding whitespace is dropped.
 */
final class TokenSource {
  /** A token and where it came from, for messages. */
  record Found(String value, String origin) {}

  private TokenSource() {}

  static Optional<Found> find(String option, Path file, Map<String, String> env) {
    if (option != null) {
      return Optional.of(new Found(option, "--token"));
    }
    if (file != null) {
      return Optional.of(new Found(read(file, "--token-file " + file), "--token-file " + file));
    }
    String fromEnv = env.get(ShepherdCli.TOKEN_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(new Found(fromEnv, ShepherdCli.TOKEN_ENV));
    }
    return defaultFile(env).filter(Files::isRegularFile)
        .map(f -> new Found(read(f, f.toString()), f.toString()));
  }

  /** {@code $XDG_CONFIG_HOME/shepherd/token}, or {@code $HOME/.config/shepherd/token}; empty without either. */
  static Optional<Path> defaultFile(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Optional.of(Path.of(xdg, "shepherd", "token"));
    }
    String home = env.get("HOME");
    return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home, ".config", "shepherd", "token"));
  }

  private static String read(Path file, String origin) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new BadInputException(origin + ": the file is empty");
      }
      return token;
    } catch (IOException e) {
      throw new BadInputException(origin + ": cannot read the token file (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }
}
