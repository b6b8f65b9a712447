package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import java.io.IOException;
import java.nio.file.Path;

/** Starts copies. {@link ProcessLauncher} starts real processes, {@link RegisterOnlyLauncher} none. */
interface Launcher {
  /**
   * Starts the copy of {@code assignment}.
   *
   * @param workingDir the directory to run in; it exists
   * @param logFile    the file stdout and stderr are appended to; its directory exists
   * @throws IOException if the copy cannot be started (no such program, not executable...)
   */
  CopyProcess launch(AssignmentRecord assignment, Path workingDir, Path logFile) throws IOException;

  /** Which mode this is: stored in leftover records so that a restarted agent knows whether to signal a pid. */
  LauncherMode mode();
}
