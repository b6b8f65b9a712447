package io.shepherd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A rollout built by naming its components is the record built by position, and its JSON is the same. */
class RolloutBuilderTest {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private static final Instant T0 = Instant.parse("2030-01-01T12:00:00Z");
  private static final Rollout BY_POSITION = new Rollout(2, 1, RolloutState.REVERTED,
      RolloutReason.NEW_COPIES_CRASH_LOOP, "revision 2 failed", 3, 4, 5, 6, 7, 1, Optional.of(2), "alice", T0,
      T0.plusSeconds(1), Optional.of(T0.plusSeconds(2)));

  @Test
  void everyComponentGoesWhereItsNameSays() {
    Rollout named = Rollout.builder()
        .fromRevision(2).toRevision(1).state(RolloutState.REVERTED).reason(RolloutReason.NEW_COPIES_CRASH_LOOP)
        .message("revision 2 failed").desired(3).counts(4, 5, 6, 7).stableRevision(1).revertedFrom(Optional.of(2))
        .startedBy("alice").startedAt(T0).lastProgressAt(T0.plusSeconds(1)).finishedAt(Optional.of(T0.plusSeconds(2)))
        .build();

    assertThat(named).isEqualTo(BY_POSITION);
    assertThat(BY_POSITION.toBuilder().build()).isEqualTo(BY_POSITION);
  }

  @Test
  void aDerivedRolloutChangesOnlyWhatItNames() {
    Rollout derived = BY_POSITION.toBuilder().desired(5).finishedAt(Optional.empty()).build();

    assertThat(derived).isEqualTo(new Rollout(2, 1, RolloutState.REVERTED, RolloutReason.NEW_COPIES_CRASH_LOOP,
        "revision 2 failed", 5, 4, 5, 6, 7, 1, Optional.of(2), "alice", T0, T0.plusSeconds(1), Optional.empty()));
  }

  @Test
  void unsetComponentsTakeTheRecordsDefaults() {
    Rollout bare = Rollout.builder().toRevision(1).build();

    assertThat(bare.message()).isEmpty();
    assertThat(bare.startedBy()).isEqualTo("anonymous");
    assertThat(bare.revertedFrom()).isEmpty();
    assertThat(bare.finishedAt()).isEmpty();
  }

  @Test
  void theJsonHasTheSixteenComponentsAndNothingOfTheBuilder() throws Exception {
    JsonNode json = JSON.readTree(JSON.writeValueAsString(BY_POSITION));

    assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(List.of("fromRevision",
        "toRevision", "state", "reason", "message", "desired", "updated", "ready", "available", "old",
        "stableRevision", "revertedFrom", "startedBy", "startedAt", "lastProgressAt", "finishedAt"));
    assertThat(JSON.readValue(JSON.writeValueAsString(BY_POSITION), Rollout.class)).isEqualTo(BY_POSITION);
  }
}
