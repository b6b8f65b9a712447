package io.shepherd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.fake.FakeShepherdServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK's rollout calls: paths, bodies, answers; and waiting for a rollout to end. */
class ShepherdClientRolloutTest {
  private static final Instant T = Instant.parse("2030-01-01T12:00:00Z");
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(3, List.of("sleep", "200000"));
  private static final Rollout REVERTED = new Rollout(2, 1, RolloutState.REVERTED,
      RolloutReason.NEW_COPIES_CRASH_LOOP, "", 3, 3, 3, 3, 0, 1, Optional.of(2), "alice", T, T, Optional.of(T));

  private FakeShepherdServer server;
  private ShepherdClient client;

  @BeforeEach
  void start() throws IOException {
    server = FakeShepherdServer.start();
    server.store().seed("web", WEB);
    server.store().seedRollout("web", REVERTED,
        List.of(new Revision(1, WEB, T, "bob", RolloutReason.NEW_REVISION)));
    client = ShepherdClient.builder().server(server.url()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void rolloutAndRevisionsAreRead() {
    assertThat(client.rollout("web")).isEqualTo(REVERTED);
    assertThat(client.revisions("web")).extracting(Revision::createdBy).containsExactly("bob");
    assertThatThrownBy(() -> client.rollout("nope")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void controlsArePostsToTheRolloutAndUndoNamesItsRevision() {
    client.pauseRollout("web");
    client.resumeRollout("web");
    client.promoteRollout("web");
    client.restartRollout("web");
    client.undoRollout("web", OptionalInt.of(1));
    client.undoRollout("web", OptionalInt.empty());

    assertThat(server.requests()).extracting(r -> r.line() + " " + r.body()).containsExactly(
        "POST /api/v1/replicasets/web/rollout/pause ", "POST /api/v1/replicasets/web/rollout/resume ",
        "POST /api/v1/replicasets/web/rollout/promote ", "POST /api/v1/replicasets/web/rollout/restart ",
        "POST /api/v1/replicasets/web/rollout/undo {\"revision\":1}", "POST /api/v1/replicasets/web/rollout/undo {}");
  }

  @Test
  void awaitingARolloutRevertedFromTheRevisionReturnsItAndReportsItOnce() throws InterruptedException {
    List<Rollout> seen = new ArrayList<>();

    Optional<Rollout> ended = client.awaitRollout("web", 2, Duration.ofSeconds(30), seen::add);

    assertThat(ended).contains(REVERTED);
    assertThat(seen).containsExactly(REVERTED);
  }

  @Test
  void awaitingAnotherRevisionEndsEmptyAtTheTimeout() throws InterruptedException {
    assertThat(client.awaitRollout("web", 3, Duration.ofMillis(300), r -> { })).isEmpty();
  }

  @Test
  void awaitingTheRolloutOfAnUnknownSetIsNotFound() {
    assertThatThrownBy(() -> client.awaitRollout("nope", 1, Duration.ofSeconds(5), r -> { }))
        .isInstanceOf(NotFoundException.class);
  }
}
