package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LaunchMechanismTest {
  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(LaunchMechanism.PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(LaunchMechanism.PROPERTY);
    } else {
      System.setProperty(LaunchMechanism.PROPERTY, before);
    }
  }

  @Test
  void anOperatorsChoiceIsKept() {
    System.setProperty(LaunchMechanism.PROPERTY, "POSIX_SPAWN");

    LaunchMechanism.preferVfork();

    assertThat(System.getProperty(LaunchMechanism.PROPERTY)).isEqualTo("POSIX_SPAWN");
  }

  @Test
  void onLinuxWithJdk17VforkIsChosenWhenNothingWas() {
    assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"));
    assumeTrue(Runtime.version().feature() <= 21);
    System.clearProperty(LaunchMechanism.PROPERTY);

    LaunchMechanism.preferVfork();

    assertThat(System.getProperty(LaunchMechanism.PROPERTY)).isEqualTo("VFORK");
  }
}
