package io.shepherd.worker.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what ended copies leave on the agent's disk, so that a copy restarted every few seconds for weeks cannot
 * fill it: the working directories the agent created for them ({@code {dataDir}/instances/{id}}, removed as soon as
 * their copy is no longer on this agent, as Kubernetes removes a pod's scratch space with the pod) and their log
 * files beyond the {@code keptLogs} most recently written (kept so that {@code shepherd logs} can still show why a
 * copy ended). Working directories named in a spec ({@code workingDir}) are the operator's and never touched.
 */
final class EndedCopyFiles {
  private static final Logger LOG = LoggerFactory.getLogger(EndedCopyFiles.class);
  static final int DEFAULT_KEPT_LOGS = 100;

  private final Path workingDirs;
  private final Path logs;
  private final int keptLogs;

  EndedCopyFiles(Path workingDirs, Path logs, int keptLogs) {
    this.workingDirs = workingDirs;
    this.logs = logs;
    this.keptLogs = keptLogs;
  }

  /** Sweeps everything that does not belong to one of {@code onThisAgent} (copies running or still being recorded). */
  void sweep(Set<String> onThisAgent) {
    try {
      removeWorkingDirs(onThisAgent);
      removeOldLogs(onThisAgent);
    } catch (IOException e) {
      LOG.warn("cannot remove the files of ended copies: {}", e.toString());
    }
  }

  private void removeWorkingDirs(Set<String> onThisAgent) throws IOException {
    for (Path dir : list(workingDirs)) {
      String id = dir.getFileName().toString();
      if (!onThisAgent.contains(id) && Files.isDirectory(dir)) {
        try {
          deleteTree(dir);
        } catch (IOException e) {
          LOG.warn("cannot remove the working directory {} of an ended copy: {}", dir, e.toString());
        }
      }
    }
  }

  private void removeOldLogs(Set<String> onThisAgent) throws IOException {
    Map<String, List<Path>> byCopy = new HashMap<>();
    for (Path file : list(logs)) {
      String name = file.getFileName().toString();
      String id = name.endsWith(".log") ? name.substring(0, name.length() - 4)
          : name.endsWith(".log.1") ? name.substring(0, name.length() - 6) : null;
      if (id != null && !onThisAgent.contains(id)) {
        byCopy.computeIfAbsent(id, k -> new ArrayList<>()).add(file);
      }
    }
    if (byCopy.size() <= keptLogs) {
      return;
    }
    Map<String, FileTime> lastWritten = new HashMap<>();
    for (var e : byCopy.entrySet()) {
      FileTime latest = FileTime.fromMillis(0);
      for (Path f : e.getValue()) {
        try {
          FileTime t = Files.getLastModifiedTime(f);
          latest = t.compareTo(latest) > 0 ? t : latest;
        } catch (NoSuchFileException gone) {
          // Removed meanwhile: nothing to keep or remove.
        }
      }
      lastWritten.put(e.getKey(), latest);
    }
    List<String> newestFirst = new ArrayList<>(byCopy.keySet());
    newestFirst.sort(Comparator.comparing(lastWritten::get, Comparator.reverseOrder()));
    for (String id : newestFirst.subList(keptLogs, newestFirst.size())) {
      for (Path f : byCopy.get(id)) {
        Files.deleteIfExists(f);
      }
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    } catch (NoSuchFileException none) {
      return List.of();
    }
    return entries;
  }

  private static void deleteTree(Path dir) throws IOException {
    List<Path> deepestFirst;
    try (Stream<Path> walk = Files.walk(dir)) {
      deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : deepestFirst) {
      Files.deleteIfExists(p);
    }
  }
}
