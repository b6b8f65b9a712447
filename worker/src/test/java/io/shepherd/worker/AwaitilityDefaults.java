package io.shepherd.worker;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Awaitility's defaults for every test of this module, set once per test JVM (registered in
 * {@code META-INF/services}), those the agent's test kit has always used: a condition is first checked at once
 * (Awaitility's own default first waits a poll interval, so that every await lasted at least 100 ms, even of a
 * condition that already held), then every 20 ms.
 */
public final class AwaitilityDefaults implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
  }
}
