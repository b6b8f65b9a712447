package io.shepherd.worker.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies' log files: {@code {dir}/{instanceId}.log}, appended to by the copy itself, and the one older
 * generation {@code {instanceId}.log.1}.
 *
 * <p>Rotation copies the live file to {@code .log.1} and truncates the live file to 0. This is safe only because
 * the child writes with O_APPEND: its next write goes to the new end of the file, not to its old offset (which
 * would leave a hole of zeros as large as the old file). Bytes written between the copy and the truncation are
 * lost: the price of rotating without the child's help.
 */
final class LogFiles {
  private static final Logger LOG = LoggerFactory.getLogger(LogFiles.class);
  private final Path dir;
  private final long maxBytes;

  LogFiles(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  Path dir() {
    return dir;
  }

  /** The live log of an instance; empty if {@code instanceId} cannot be a file name. */
  Optional<Path> live(String instanceId) {
    if (!validId(instanceId)) {
      return Optional.empty();
    }
    return Optional.of(dir.resolve(instanceId + ".log"));
  }

  Path liveOf(String instanceId) {
    return live(instanceId).orElseThrow(() -> new IllegalArgumentException("not an instance id: " + instanceId));
  }

  Path rotatedOf(String instanceId) {
    return dir.resolve(instanceId + ".log.1");
  }

  /** Rotates the live log of {@code instanceId} if it is larger than the maximum; true if it did. */
  boolean rotateIfNeeded(String instanceId) throws IOException {
    Path live = liveOf(instanceId);
    long size;
    try {
      size = Files.size(live);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (size <= maxBytes) {
      return false;
    }
    Files.copy(live, rotatedOf(instanceId), StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
    LOG.debug("rotated the log of {} at {} bytes", instanceId, size);
    return true;
  }

  /** Rotates every given instance's log that needs it; a failure of one is logged and does not stop the others. */
  void rotateAll(Iterable<String> instanceIds) {
    for (String id : instanceIds) {
      try {
        rotateIfNeeded(id);
      } catch (IOException e) {
        LOG.warn("cannot rotate the log of {}", id, e);
      }
    }
  }

  static boolean validId(String id) {
    return id != null && !id.isEmpty() && !id.equals(".") && !id.equals("..") && id.indexOf('/') < 0
        && id.indexOf('\\') < 0 && id.indexOf('\0') < 0;
  }
}
