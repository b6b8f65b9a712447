package io.shepherd.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads server-sent events, frame by frame, as the HTML standard's event-stream grammar says: {@code field:
 * value} lines, a blank line ends a frame, lines starting with {@code :} are comments (keep-alives), several
 * {@code data} lines join with newlines. A frame with neither data nor id is dropped; one with an id alone
 * is kept, since it moves the position a resumed stream starts from.
 */
final class SseReader {
  /** One dispatched frame: its {@code id} field if it had one, its {@code event} type, its data if any. */
  record Frame(Optional<String> id, String event, Optional<String> data) {}

  private final BufferedReader reader;

  SseReader(BufferedReader reader) {
    this.reader = reader;
  }

  /** The next frame, or empty when the stream ends (a frame cut off by the end is dropped, as the standard says). */
  Optional<Frame> next() throws IOException {
    String id = null;
    String event = "message";
    StringBuilder data = null;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.isEmpty()) {
        if (data != null || id != null) {
          Optional<String> text = Optional.ofNullable(data).map(StringBuilder::toString);
          return Optional.of(new Frame(Optional.ofNullable(id), event, text));
        }
        id = null;
        event = "message";
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "event" -> event = value;
        case "id" -> id = value.indexOf('\0') >= 0 ? id : value;
        default -> { } // "retry" and unknown fields: the client paces its own reconnects.
      }
    }
    return Optional.empty();
  }
}
