package io.shepherd.cli;

import java.io.PrintWriter;

/**
 * One line of progress while a command waits: redrawn in place on a terminal, printed as a new line at each change
 * otherwise (a log or a pipe keeps every step, and no control characters).
 */
final class ProgressLine {
  private final PrintWriter out;
  private final boolean terminal;
  private String last = "";

  ProgressLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Shows {@code line} unless it is the one shown last. */
  void show(String line) {
    if (line.equals(last)) {
      return;
    }
    if (terminal) {
      out.print("\r\033[K" + line);
    } else {
      out.println(line);
    }
    out.flush();
    last = line;
  }

  /**
   * Prints {@code line} on a line of its own, below the progress line, which is drawn again at the next
   * {@link #show}.
   */
  void note(String line) {
    end();
    out.println(line);
    out.flush();
    last = "";
  }

  /** Ends the line on a terminal, so what follows starts on a line of its own. */
  void end() {
    if (terminal && !last.isEmpty()) {
      out.println();
      out.flush();
    }
  }
}
