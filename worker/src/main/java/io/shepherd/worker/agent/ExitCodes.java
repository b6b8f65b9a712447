package io.shepherd.worker.agent;

/**
 * Turns the JDK's exit value into the exit code an assignment records: the JDK reports a process ended by
 * signal {@code n} as {@code 128 + n}, the assignment as {@code -n} (-9 for SIGKILL, -15 for SIGTERM).
 *
 * <p>The JDK cannot tell a process killed by a signal from one that called {@code exit(128 + n)} itself; the
 * shell convention (128 + n means signal n) is taken for both.
 */
final class ExitCodes {
  static final int SIGKILL = 9;
  static final int SIGTERM = 15;
  private static final int SIGNAL_BASE = 128;
  private static final int MAX_SIGNAL = 64;

  private ExitCodes() {}

  static int fromExitValue(int exitValue) {
    return exitValue > SIGNAL_BASE && exitValue <= SIGNAL_BASE + MAX_SIGNAL ? -(exitValue - SIGNAL_BASE) : exitValue;
  }

  /** The exit value the JDK reports for a process ended by {@code signal}. */
  static int exitValueOfSignal(int signal) {
    return SIGNAL_BASE + signal;
  }
}
