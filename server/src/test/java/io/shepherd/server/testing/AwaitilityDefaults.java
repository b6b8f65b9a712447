package io.shepherd.server.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.pollinterval.IterativePollInterval;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Awaitility's defaults for every test of this module, set once per test JVM (registered in
 * {@code META-INF/services}): a condition is first checked at once, then after 10, 20, 40 and 80 ms, then every
 * 100 ms. Awaitility's own default first waits a poll interval of 100 ms, so that every await lasted at least that,
 * even of a condition that already held, and one that held a few milliseconds later was seen only 100 ms after its
 * start. Past the first checks the interval is Awaitility's usual 100 ms: many conditions here ask a server,
 * ZooKeeper or the process table, and a long wait must not poll them harder.
 */
public final class AwaitilityDefaults implements LauncherSessionListener {
  private static final Duration LONGEST = Duration.ofMillis(100);

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    // IterativePollInterval's first interval is its function applied to the start: 2 x 5 ms.
    Awaitility.setDefaultPollInterval(IterativePollInterval.iterative(
        previous -> previous.multipliedBy(2).compareTo(LONGEST) < 0 ? previous.multipliedBy(2) : LONGEST,
        Duration.ofMillis(5)));
  }
}
