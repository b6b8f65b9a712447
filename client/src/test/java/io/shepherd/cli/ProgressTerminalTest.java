package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.cli.ProgressTerminal.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream.Builder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether a progress line is redrawn in place: only on the stream it is written to, and only on a terminal. */
class ProgressTerminalTest {
  static java.util.stream.Stream<Arguments> decisions() {
    Builder<Arguments> rows = java.util.stream.Stream.builder();
    rows.add(row("progress on stdout, stdout on a terminal: redrawn", Stream.STDOUT, true, false, "xterm", true));
    rows.add(row("progress on stdout, stdout piped: plain lines", Stream.STDOUT, false, true, "xterm", false));
    rows.add(row("-o json: progress on stderr on a terminal, stdout piped into jq: redrawn", Stream.STDERR, false,
        true, "xterm", true));
    rows.add(row("-o json: progress on stderr into a file, stdout on a terminal: plain lines", Stream.STDERR, true,
        false, "xterm", false));
    rows.add(row("-o json: both on terminals: redrawn", Stream.STDERR, true, true, "xterm", true));
    rows.add(row("a dumb terminal cannot redraw, on stdout", Stream.STDOUT, true, true, "dumb", false));
    rows.add(row("a dumb terminal cannot redraw, on stderr", Stream.STDERR, true, true, "dumb", false));
    rows.add(row("no TERM at all: the stream decides", Stream.STDERR, false, true, null, true));
    return rows.build();
  }

  private static Arguments row(String what, Stream stream, boolean stdoutConsole, boolean stderrTerminal,
      String term, boolean redraws) {
    return Arguments.of(what, stream, stdoutConsole, stderrTerminal, term, redraws);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void redrawsOnlyOnATerminal(String what, Stream stream, boolean stdoutConsole, boolean stderrTerminal,
      String term, boolean redraws) {
    assertThat(ProgressTerminal.redraws(stream, stdoutConsole, stderrTerminal, Optional.ofNullable(term)))
        .isEqualTo(redraws);
  }

  @Test
  void aDescriptorIsATerminalWhenItPointsToATerminalDevice(@TempDir Path dir) throws Exception {
    assertThat(ProgressTerminal.isTerminalDevice(Files.createSymbolicLink(dir.resolve("pts"), Path.of("/dev/pts/3"))))
        .isTrue();
    assertThat(ProgressTerminal.isTerminalDevice(Files.createSymbolicLink(dir.resolve("tty"), Path.of("/dev/tty1"))))
        .isTrue();
    assertThat(ProgressTerminal.isTerminalDevice(Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"))))
        .as("redirected to /dev/null").isFalse();
    assertThat(ProgressTerminal.isTerminalDevice(
        Files.createSymbolicLink(dir.resolve("pipe"), Path.of("pipe:[123456]")))).as("a pipe").isFalse();
    assertThat(ProgressTerminal.isTerminalDevice(Files.createFile(dir.resolve("log")))).as("not a link").isFalse();
    assertThat(ProgressTerminal.isTerminalDevice(dir.resolve("absent"))).as("no such descriptor").isFalse();
  }
}
