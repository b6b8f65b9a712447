package io.shepherd.worker.agent;

/** How an agent runs the copies assigned to it. */
public enum LauncherMode {
  /** Start every copy as a real child process from its argv (no shell). The production mode. */
  PROCESS,
  /**
   * Start no process at all: for load tests of the controller with thousands of copies on one machine.
   *
   * <p>A register-only copy registers its instance and reports RUNNING exactly like a real one, with the
   * <em>agent's own pid</em> (a live process of the host, so anything that checks a pid finds one; the agent never
   * signals it). Its log file holds one line saying what it is. It "runs" until its assignment is deleted, the
   * agent stops it (partition policy STOP, session expiry, close) or the agent dies; stopping it makes it "exit"
   * as if SIGTERM had ended it (exit code -15), or SIGKILL (-9) if it is killed.
   */
  REGISTER_ONLY
}
