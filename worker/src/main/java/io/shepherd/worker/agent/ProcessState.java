package io.shepherd.worker.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a process is stopped (SIGSTOP, SIGTSTP, a debugger), from {@code /proc/<pid>/stat}, and waking one. A
 * stopped process cannot act on SIGTERM: the signal waits until it runs again, so its grace would be waited out in
 * full before the SIGKILL. As systemd does, a copy asked to stop is sent SIGCONT after its SIGTERM, so that it acts
 * on the SIGTERM at once. Java has no call for SIGCONT: {@code kill -CONT} is run, for stopped processes only.
 */
final class ProcessState {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessState.class);

  private ProcessState() {}

  /**
   * Whether a {@code /proc/<pid>/stat} line says the process is stopped: its state, the field after the command's
   * closing parenthesis (the command may itself hold parentheses and spaces), is {@code T} (stopped by a signal) or
   * {@code t} (stopped by a tracer). False for anything that is not such a line.
   */
  static boolean isStoppedStat(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0 || end + 2 >= stat.length() || stat.charAt(end + 1) != ' ') {
      return false;
    }
    char state = stat.charAt(end + 2);
    return state == 'T' || state == 't';
  }

  /** Whether process {@code pid} is stopped now; false if it cannot be told (gone, no /proc). */
  static boolean isStopped(long pid) {
    try {
      return isStoppedStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Sends SIGCONT to {@code pid} if it is stopped, without waiting for {@code kill} to end. True if it was stopped
   * and {@code kill} was started.
   */
  static boolean resumeIfStopped(long pid) {
    if (!isStopped(pid)) {
      return false;
    }
    try {
      new ProcessBuilder("kill", "-CONT", Long.toString(pid))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      LOG.info("pid {} is stopped: sent SIGCONT after its SIGTERM", pid);
      return true;
    } catch (IOException e) {
      LOG.warn("cannot send SIGCONT to stopped pid {}: {}; its SIGKILL comes after its grace", pid, e.getMessage());
      return false;
    }
  }
}
