package io.shepherd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A line of {@code GET /replicasets} carries its rollout's progress, so a list shows "1/3 updated" on first read. */
class ReplicaSetSummaryJsonTest {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private static final Rollout CANARY = new Rollout(1, 2, RolloutState.PAUSED,
      RolloutReason.CANARY_WAITING_FOR_PROMOTE, "", 3, 1, 1, 1, 2, 1, Optional.empty(), "otto", Instant.EPOCH,
      Instant.EPOCH, Optional.empty());

  @Test
  void aSummaryOfARolloutCarriesItsStateAndProgress() throws Exception {
    ReplicaSetSummary s = ReplicaSetSummary.of("web", 4, 3, 4, 0, 4, false, 0, 2, Optional.of(CANARY));

    String json = JSON.writeValueAsString(s);

    assertThat(json).contains("\"rolloutState\":\"PAUSED\"", "\"rolloutUpdated\":1", "\"rolloutDesired\":3");
    assertThat(JSON.readValue(json, ReplicaSetSummary.class)).isEqualTo(s);
  }

  @Test
  void beforeTheLeadersFirstLookThereIsNoRolloutNorProgress() throws Exception {
    ReplicaSetSummary s = ReplicaSetSummary.of("web", 1, 3, 0, 3, 0, false, 0, 1, Optional.empty());

    assertThat(s.rolloutState()).isEmpty();
    assertThat(s.rolloutUpdated()).isEmpty();
    assertThat(JSON.readValue("{\"name\":\"web\",\"version\":1,\"desired\":3,\"live\":0,\"pending\":3,\"ready\":0,"
        + "\"deleting\":false,\"consecutiveFailures\":0,\"revision\":1}", ReplicaSetSummary.class)).isEqualTo(s);
  }
}
