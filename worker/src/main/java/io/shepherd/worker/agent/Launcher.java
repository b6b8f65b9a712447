package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Starts copies. {@link ProcessLauncher} starts real processes, {@link RegisterOnlyLauncher} none. */
interface Launcher {
  /**
   * Starts the copy of {@code assignment}.
   *
   * @param workingDir the directory to run in; it exists
   * @param logFile    the file stdout and stderr are appended to; its directory exists
   * @param agentEnv   what the agent adds to the copy's environment last (the local API's URL and the copy's token)
   * @throws IOException if the copy cannot be started (no such program, not executable...)
   */
  CopyProcess launch(AssignmentRecord assignment, Path workingDir, Path logFile, Map<String, String> agentEnv)
      throws IOException;

  /** Which mode this is: stored in leftover records so that a restarted agent knows whether to signal a pid. */
  LauncherMode mode();
}
