package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.OnPartition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The record a restart in place starts from: the agent writes it without a version check, so what the API wrote into
 * the assignment since the copy was launched (a restart request and who asked, a stop request) must be in it.
 */
class LocalRestartsTest {
  private static final AssignmentRecord LAUNCHED = AssignmentRecord.assigned("web-1", "web", "n1", List.of("app"),
      Map.of(), Optional.empty(), 10, OnPartition.KEEP_RUNNING, 1, 2, Instant.EPOCH).running(7, Instant.EPOCH);

  @Test
  void aRestartRequestedSinceTheLaunchIsKeptWithWhoAskedForIt() {
    AssignmentRecord current = LAUNCHED.withRestartRequested(1, Optional.of("frank"));

    AssignmentRecord base = LocalRestarts.base(LAUNCHED, current);

    assertThat(base.restartRequested()).isEqualTo(1);
    assertThat(base.restartRequestedBy()).contains("frank");
  }

  @Test
  void aStopRequestedSinceTheLaunchIsKept() {
    AssignmentRecord current = LAUNCHED.withStopRequested("erin");

    assertThat(LocalRestarts.base(LAUNCHED, current).stopRequestedBy()).contains("erin");
  }

  @Test
  void withNothingAskedSinceTheLaunchTheLaunchedRecordIsTheBase() {
    assertThat(LocalRestarts.base(LAUNCHED, LAUNCHED)).isEqualTo(LAUNCHED);
  }
}
