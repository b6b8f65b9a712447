package io.shepherd.worker.agent;

import java.util.Locale;

/**
 * How this JVM starts child processes. On Linux, JDK 17 starts them with {@code posix_spawn} through the
 * {@code jspawnhelper} program, one more program to load and run on every start: about 3 ms per start here, against
 * about 1.5 ms with {@code vfork} (docs/PERFORMANCE.md, benchmark 1). {@code vfork} was the JDK's own default on
 * Linux until JDK 12 and is safe for {@link ProcessBuilder}, which runs nothing but {@code exec} in the child.
 */
public final class LaunchMechanism {
  static final String PROPERTY = "jdk.lang.Process.launchMechanism";

  private LaunchMechanism() {}

  /**
   * Chooses {@code VFORK} unless the operator chose a mechanism ({@code -Djdk.lang.Process.launchMechanism=...}),
   * the system is not Linux, or the JDK is one that deprecates it. Call first thing in {@code main}: the JDK reads
   * the choice once, when it starts its first process.
   */
  public static void preferVfork() {
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    if (linux && Runtime.version().feature() <= 21 && System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "VFORK");
    }
  }
}
