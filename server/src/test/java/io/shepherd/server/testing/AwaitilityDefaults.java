package io.shepherd.server.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Awaitility's defaults for every test of this module, set once per test JVM (registered in
 * {@code META-INF/services}): a condition is first checked at once. Awaitility's own default first waits a poll
 * interval, which made every await last at least 100 ms, even of a condition that already held. The poll interval
 * stays 100 ms: many conditions here ask a server, ZooKeeper or the process table.
 */
public final class AwaitilityDefaults implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(100));
  }
}
