package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir
  Path dir;

  private long start(String content, long lines, long maxBytes) throws Exception {
    Path f = Files.writeString(dir.resolve("f.log"), content);
    return LogTail.startOfLastLines(f, lines, maxBytes);
  }

  @Test
  void findsTheStartOfTheLastLines() throws Exception {
    assertThat(start("a\nb\nc\n", 1, 100)).isEqualTo(4);
    assertThat(start("a\nb\nc\n", 2, 100)).isEqualTo(2);
    assertThat(start("a\nb\nc\n", 3, 100)).isZero();
    assertThat(start("a\nb\nc\n", 9, 100)).isZero();
  }

  @Test
  void aLastLineWithoutNewlineCounts() throws Exception {
    assertThat(start("a\nb\nc", 1, 100)).isEqualTo(4);
    assertThat(start("a\nb\nc", 2, 100)).isEqualTo(2);
  }

  @Test
  void zeroLinesAndEmptyFilesStartAtTheEnd() throws Exception {
    assertThat(start("a\nb\n", 0, 100)).isEqualTo(4);
    assertThat(start("", 5, 100)).isZero();
  }

  @Test
  void looksBackNoFurtherThanTheLimit() throws Exception {
    assertThat(start("aaaaaaaaaa\nb\n", 5, 4)).isEqualTo(9);
  }

  @Test
  void scansAcrossChunkBoundaries() throws Exception {
    String line = "x".repeat(1000) + "\n";
    assertThat(start(line.repeat(200), 150, Long.MAX_VALUE)).isEqualTo(50L * line.length());
  }
}
