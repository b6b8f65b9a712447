package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Telling a stopped process from {@code /proc/<pid>/stat}, and waking one. */
class ProcessStateTest {
  private Process child;

  @AfterEach
  void tearDown() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @ParameterizedTest(name = "{0} -> stopped: {1}")
  @CsvSource(delimiter = '|', value = {
      "1234 (python3) T 1 1234 1234 0 -1 4194560 | true",
      "1234 (python3) t 1 1234 1234 0 -1 4194560 | true",
      "1234 (python3) S 1 1234 1234 0 -1 4194560 | false",
      "1234 (python3) R 1 1234 1234 0 -1 4194560 | false",
      "1234 (python3) Z 1 1234 1234 0 -1 4194560 | false",
      // The command may hold spaces and parentheses: the state follows the last one.
      "1234 (a (T) b) S 1 1234 1234 0 -1 4194560 | false",
      "1234 (a) S) T 1 1234 1234 0 -1 4194560 | true",
      // Not a stat line.
      "'' | false",
      "1234 (python3) | false",
      "1234 (python3 | false",
      "1234 (python3)T | false",
  })
  void isStoppedStat(String stat, boolean stopped) {
    assertThat(ProcessState.isStoppedStat(stat)).isEqualTo(stopped);
  }

  @Test
  void aStoppedProcessIsToldAndWokenAndOnlyThen() throws Exception {
    child = new ProcessBuilder("sleep", "60").start();
    long pid = child.pid();
    assertThat(ProcessState.isStopped(pid)).isFalse();
    assertThat(ProcessState.resumeIfStopped(pid)).isFalse();

    assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor()).isZero();
    await().atMost(10, TimeUnit.SECONDS).until(() -> ProcessState.isStopped(pid));

    assertThat(ProcessState.resumeIfStopped(pid)).isTrue();
    await().atMost(10, TimeUnit.SECONDS).until(() -> !ProcessState.isStopped(pid));
    assertThat(child.isAlive()).isTrue();
  }

  @Test
  void aProcessThatIsGoneIsNotStopped() {
    assertThat(ProcessState.isStopped(Long.MAX_VALUE)).isFalse();
  }
}
