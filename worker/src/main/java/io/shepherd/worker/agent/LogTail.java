package io.shepherd.worker.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reading the end of a log file: where its last lines start, and copying a byte range out of it. */
final class LogTail {
  private static final int CHUNK = 64 * 1024;

  private LogTail() {}

  /**
   * The offset at which the last {@code lines} lines of {@code file} start, looking back no further than
   * {@code maxBytes} from the end; a final line without its newline counts as a line. 0 if there is no file.
   */
  static long startOfLastLines(Path file, long lines, long maxBytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long floor = Math.max(0, size - maxBytes);
      if (lines <= 0) {
        return size;
      }
      long pos = size;
      long newlines = 0;
      boolean skipFinal = endsWithNewline(ch, size);
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      while (pos > floor) {
        int n = (int) Math.min(CHUNK, pos - floor);
        buf.clear().limit(n);
        long at = pos - n;
        readFully(ch, buf, at);
        for (int i = n - 1; i >= 0; i--) {
          long offset = at + i;
          if (buf.get(i) == '\n' && !(skipFinal && offset == size - 1) && ++newlines == lines) {
            return offset + 1;
          }
        }
        pos = at;
      }
      return floor;
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** The size of {@code file}, 0 if it does not exist. */
  static long size(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return ch.size();
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** Copies bytes {@code [from, to)} of {@code file} to {@code out}; returns how many it copied. */
  static long copy(Path file, long from, long to, OutputStream out) throws IOException {
    if (to <= from) {
      return 0;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = Math.min(to, ch.size());
      long copied = 0;
      var sink = Channels.newChannel(out);
      while (from + copied < end) {
        long n = ch.transferTo(from + copied, end - from - copied, sink);
        if (n <= 0) {
          break;
        }
        copied += n;
      }
      return copied;
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  private static boolean endsWithNewline(FileChannel ch, long size) throws IOException {
    if (size == 0) {
      return false;
    }
    ByteBuffer one = ByteBuffer.allocate(1);
    readFully(ch, one, size - 1);
    return one.get(0) == '\n';
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
  }
}
