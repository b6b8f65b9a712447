package io.shepherd.worker.agent;

import io.shepherd.worker.record.RecordCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RunRecord} files of one agent's data directory. Thread-safe: one file per instance id. */
final class RunRecords {
  private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);
  private static final String SUFFIX = ".json";
  private static final String TMP_SUFFIX = ".json.tmp";
  private final Path dir;

  RunRecords(Path dir) {
    this.dir = dir;
  }

  /** Writes the record atomically (a reader never sees half of it). */
  void write(RunRecord record) throws IOException {
    Files.createDirectories(dir);
    Path tmp = tmp(record.instanceId());
    Files.write(tmp, RecordCodec.write(record));
    Files.move(tmp, file(record.instanceId()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  void delete(String instanceId) {
    try {
      Files.deleteIfExists(file(instanceId));
      Files.deleteIfExists(tmp(instanceId));
    } catch (IOException e) {
      // The copy is gone; a record left behind only makes the next start look for a dead pid.
      LOG.warn("cannot delete run record of {}", instanceId, e);
    }
  }

  /**
   * Every readable record, including one whose final rename a crash interrupted; unreadable ones are logged and
   * deleted, since nothing can be done with them.
   */
  List<RunRecord> list() throws IOException {
    List<RunRecord> records = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return records;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(SUFFIX) || name.endsWith(TMP_SUFFIX)) {
          try {
            records.add(RecordCodec.read(Files.readAllBytes(f), RunRecord.class));
          } catch (UncheckedIOException e) {
            LOG.error("deleting unreadable run record {}", f, e);
            Files.deleteIfExists(f);
          }
        }
      }
    }
    return records;
  }

  private Path tmp(String instanceId) {
    return dir.resolve(instanceId + TMP_SUFFIX);
  }

  private Path file(String instanceId) {
    return dir.resolve(instanceId + SUFFIX);
  }
}
