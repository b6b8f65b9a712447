package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private final StringWriter written = new StringWriter();

  @Test
  void onATerminalEachChangeRedrawsTheSameLineAndTheEndBreaksIt() {
    ProgressLine line = new ProgressLine(new PrintWriter(written), true);
    line.show("1 of 3");
    line.show("1 of 3");
    line.show("2 of 3");
    line.end();
    assertThat(written.toString()).isEqualTo("\r\033[K1 of 3\r\033[K2 of 3\n");
  }

  @Test
  void offATerminalEachChangeIsALineOfItsOwnWithoutControlCharacters() {
    ProgressLine line = new ProgressLine(new PrintWriter(written), false);
    line.show("1 of 3");
    line.show("1 of 3");
    line.show("2 of 3");
    line.end();
    assertThat(written.toString()).isEqualTo("1 of 3\n2 of 3\n");
  }

  @Test
  void nothingShownEndsWithNothing() {
    ProgressLine line = new ProgressLine(new PrintWriter(written), true);
    line.end();
    assertThat(written.toString()).isEmpty();
  }
}
