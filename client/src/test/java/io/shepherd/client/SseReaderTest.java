package io.shepherd.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private static List<SseReader.Frame> read(String stream) throws IOException {
    SseReader reader = new SseReader(new BufferedReader(new StringReader(stream)));
    List<SseReader.Frame> frames = new ArrayList<>();
    for (var f = reader.next(); f.isPresent(); f = reader.next()) {
      frames.add(f.get());
    }
    return frames;
  }

  @Test
  void framesEndAtABlankLineAndCarryIdTypeAndData() throws IOException {
    assertThat(read("id: 7\nevent: SCALED\ndata: {\"a\":1}\n\nid: 8\ndata: x\n\n")).containsExactly(
        new SseReader.Frame(Optional.of("7"), "SCALED", Optional.of("{\"a\":1}")),
        new SseReader.Frame(Optional.of("8"), "message", Optional.of("x")));
  }

  @Test
  void commentsAndKeepAlivesAreSkipped() throws IOException {
    assertThat(read(": hello\n\n:\n\ndata: x\n: in between\n\n")).extracting(SseReader.Frame::data)
        .containsExactly(Optional.of("x"));
  }

  @Test
  void dataLinesJoinWithNewlinesAndOnlyOneLeadingSpaceIsRemoved() throws IOException {
    assertThat(read("data:a\ndata:  b\n\n")).extracting(SseReader.Frame::data).containsExactly(Optional.of("a\n b"));
  }

  @Test
  void carriageReturnLineEndsAreAccepted() throws IOException {
    assertThat(read("id: 1\r\ndata: x\r\n\r\n")).containsExactly(
        new SseReader.Frame(Optional.of("1"), "message", Optional.of("x")));
  }

  @Test
  void aFrameWithNeitherDataNorIdOrCutOffByTheEndIsDropped() throws IOException {
    assertThat(read("event: X\n\ndata: cut")).isEmpty();
  }

  @Test
  void aFrameWithAnIdAloneIsKeptAsAPosition() throws IOException {
    assertThat(read("id: 41\n\n")).containsExactly(new SseReader.Frame(Optional.of("41"), "message", Optional.empty()));
  }
}
