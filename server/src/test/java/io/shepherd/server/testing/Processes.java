package io.shepherd.server.testing;

import io.shepherd.api.Instance;
import java.util.Collection;
import java.util.List;

/** What the operating system says about the copies' processes. */
public final class Processes {
  private Processes() {}

  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  public static boolean allAlive(Collection<Instance> instances) {
    return instances.stream().allMatch(i -> alive(i.pid()));
  }

  public static boolean noneAlive(Collection<Long> pids) {
    return pids.stream().noneMatch(Processes::alive);
  }

  /** SIGKILL, as {@code kill -9} would. */
  public static void sigkill(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** Processes of this JVM's tree whose command line contains {@code marker}: a copy can be found by its argv. */
  public static long countDescendantsWith(String marker) {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .count();
  }

  /**
   * Every process of the machine that runs {@code sleep marker}, orphans of a killed agent included (those are no
   * longer descendants of this JVM). Markers are unique per test, so other suites' copies are never matched.
   */
  public static List<ProcessHandle> withMarker(String marker) {
    String argv = "sleep " + marker;
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.endsWith(argv) || c.contains(argv + " ")).orElse(false))
        .toList();
  }

  /**
   * Every process of the machine whose command line contains {@code marker} (a temporary directory a test made for its
   * copies), orphans of a killed agent included.
   */
  public static List<ProcessHandle> anyWith(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  /** SIGKILL to every process {@link #withMarker} finds: a test's last line of defence against leftovers. */
  public static void sigkillAllWith(String marker) {
    withMarker(marker).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Stops a server started as a child process (SIGTERM, SIGKILL after 30 s) and SIGKILLs whatever it started that is
   * still running, so that no copy outlives the test.
   */
  public static void stopWithDescendants(Process server) throws InterruptedException {
    if (server == null || !server.isAlive()) {
      return;
    }
    List<ProcessHandle> copies = server.descendants().toList();
    server.destroy();
    if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
    copies.forEach(ProcessHandle::destroyForcibly);
  }
}
