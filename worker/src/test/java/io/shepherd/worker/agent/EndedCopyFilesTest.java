package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndedCopyFilesTest {
  @TempDir
  Path data;
  private Path workingDirs;
  private Path logs;

  @BeforeEach
  void dirs() throws IOException {
    workingDirs = Files.createDirectories(data.resolve("instances"));
    logs = Files.createDirectories(data.resolve("logs"));
  }

  @Test
  void theWorkingDirectoryOfAnEndedCopyIsRemovedWithWhatItHolds() throws IOException {
    Files.createDirectories(workingDirs.resolve("web-ended").resolve("tmp"));
    Files.writeString(workingDirs.resolve("web-ended").resolve("tmp").resolve("scratch"), "x");
    Files.createDirectories(workingDirs.resolve("web-running"));

    new EndedCopyFiles(workingDirs, logs, 10).sweep(Set.of("web-running"));

    assertThat(names(workingDirs)).containsExactly("web-running");
  }

  @Test
  void aSymbolicLinkInAWorkingDirectoryIsRemovedNotFollowed() throws IOException {
    Path outside = Files.writeString(data.resolve("precious"), "keep me");
    Files.createDirectories(workingDirs.resolve("web-ended"));
    Files.createSymbolicLink(workingDirs.resolve("web-ended").resolve("link"), outside);

    new EndedCopyFiles(workingDirs, logs, 10).sweep(Set.of());

    assertThat(names(workingDirs)).isEmpty();
    assertThat(outside).hasContent("keep me");
  }

  @Test
  void theLogsOfTheMostRecentlyWrittenEndedCopiesAreKeptAndOlderOnesRemoved() throws IOException {
    for (int i = 1; i <= 5; i++) {
      log("web-ended" + i + ".log", i);
    }
    log("web-ended5.log.1", 5);
    log("web-running.log", 0); // oldest of all, but its copy still runs

    new EndedCopyFiles(workingDirs, logs, 2).sweep(Set.of("web-running"));

    assertThat(names(logs)).containsExactlyInAnyOrder("web-ended4.log", "web-ended5.log", "web-ended5.log.1",
        "web-running.log");
  }

  @Test
  void missingDirectoriesAreNothingToSweep() {
    new EndedCopyFiles(data.resolve("none"), data.resolve("neither"), 2).sweep(Set.of());

    assertThat(data.resolve("none")).doesNotExist();
  }

  private void log(String name, int minutesAfterEpoch) throws IOException {
    Path f = Files.writeString(logs.resolve(name), "output\n");
    Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L + minutesAfterEpoch * 60_000L));
  }

  private static Stream<String> namesOf(Path dir) throws IOException {
    return Files.list(dir).map(p -> p.getFileName().toString());
  }

  private static java.util.List<String> names(Path dir) throws IOException {
    try (Stream<String> s = namesOf(dir)) {
      return s.sorted().toList();
    }
  }
}
