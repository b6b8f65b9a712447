package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a copy inherits of its agent's environment. */
class CopyEnvironmentTest {
  @Test
  void onlyWhereProgramsAreAndHowTextIsShownIsInherited() {
    Map<String, String> agent = Map.of(
        "PATH", "/usr/bin", "HOME", "/home/shepherd", "LANG", "C.UTF-8", "LC_TIME", "de_DE.UTF-8",
        "SHEPHERD_TOKEN", "operator-secret", "ZK_DIGEST", "agent:secret", "AWS_SECRET_ACCESS_KEY", "k",
        "JAVA_TOOL_OPTIONS", "-Dx", "CLASSPATH", "/opt/shepherd");

    assertThat(CopyEnvironment.inherited(agent)).containsOnlyKeys("PATH", "HOME", "LANG", "LC_TIME");
  }
}
