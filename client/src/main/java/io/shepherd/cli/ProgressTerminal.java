package io.shepherd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a progress line may be redrawn in place (carriage return, erase to the end of the line): only when the
 * stream it is written to is a terminal. {@code -o json} writes progress to standard error and its result to standard
 * output, so each stream is judged on its own: control characters never go into a pipe or a file.
 */
final class ProgressTerminal {
  /** The stream a progress line is written to. */
  enum Stream { STDOUT, STDERR }

  private ProgressTerminal() {}

  /**
   * The decision, pure.
   *
   * @param stream          where the progress line goes
   * @param stdoutConsole   whether the JVM has a console (standard input and output both on a terminal)
   * @param stderrTerminal  whether standard error is a terminal
   * @param term            {@code $TERM}, if set: {@code dumb} cannot redraw
   */
  static boolean redraws(Stream stream, boolean stdoutConsole, boolean stderrTerminal, Optional<String> term) {
    if (term.filter("dumb"::equals).isPresent()) {
      return false;
    }
    return switch (stream) {
      case STDOUT -> stdoutConsole;
      case STDERR -> stderrTerminal;
    };
  }

  /**
   * Whether standard error is a terminal, from what its file descriptor points to ({@code /dev/pts/N},
   * {@code /dev/ttyN}). Where that cannot be read (no {@code /proc}), it is taken as no terminal: plain lines.
   */
  static boolean stderrIsTerminal() {
    return isTerminalDevice(Path.of("/proc/self/fd/2"));
  }

  /** Whether {@code fd}, a link of {@code /proc/self/fd}, points to a terminal device. */
  static boolean isTerminalDevice(Path fd) {
    try {
      String target = Files.readSymbolicLink(fd).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
