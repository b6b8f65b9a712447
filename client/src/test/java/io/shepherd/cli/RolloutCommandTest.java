package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.fake.FakeShepherdServer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code shepherd rollout ...}: what each subcommand sends and prints, and its exit code, against a fake server. */
class RolloutCommandTest {
  private static final Instant T = Instant.parse("2030-01-01T12:00:00Z");
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(3, List.of("sleep", "200000"));

  private FakeShepherdServer server;

  @BeforeEach
  void start() throws IOException {
    server = FakeShepherdServer.start();
    server.store().seed("web", WEB);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CliRun shepherd(String... args) {
    return CliRun.run(Map.of("SHEPHERD_SERVERS", server.url()), "", args);
  }

  private void rollout(RolloutState state, RolloutReason reason, Optional<Integer> revertedFrom) {
    server.store().seedRollout("web", new Rollout(1, 2, state, reason, "no new copy became available", 3, 1, 1, 0,
        3, 1, revertedFrom, "alice", T, T, Optional.empty()), List.of(
        new Revision(1, WEB.withEnv(Map.of("V", "1")), T, "bob", RolloutReason.NEW_REVISION),
        new Revision(2, WEB, T, "alice", RolloutReason.NEW_REVISION)));
  }

  @Test
  void statusShowsRevisionsStateCountsAndWhoStartedIt() {
    rollout(RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, Optional.empty());

    CliRun run = shepherd("rollout", "status", "web");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("1 -> 2").contains("PROGRESSING (NEW_REVISION)")
        .contains("1 updated, 1 ready, 0 available of 3, 3 old").contains("by alice");
  }

  @Test
  void statusOfAFailedRolloutExitsFive() {
    rollout(RolloutState.FAILED, RolloutReason.PROGRESS_DEADLINE_EXCEEDED, Optional.empty());

    CliRun run = shepherd("rollout", "status", "web");

    assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ROLLOUT_FAILED);
    assertThat(run.out()).contains("FAILED (PROGRESS_DEADLINE_EXCEEDED)").contains("no new copy became available");
  }

  @Test
  void historyListsRevisionsWithWhoAndWhy() {
    rollout(RolloutState.COMPLETE, RolloutReason.ALL_COPIES_UPDATED, Optional.empty());

    CliRun run = shepherd("rollout", "history", "web");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out().lines().toList()).hasSize(3);
    assertThat(run.out()).contains("bob").contains("alice").contains("NEW_REVISION").contains("sleep 200000");
  }

  @Test
  void undoSendsTheRevisionAndControlsSayWhatTheyDid() {
    CliRun undo = shepherd("rollout", "undo", "web", "--to-revision", "1");
    CliRun pause = shepherd("rollout", "pause", "web");

    assertThat(undo.exit()).as(undo.toString()).isZero();
    assertThat(undo.out()).startsWith("replicaset/web rolling back");
    assertThat(pause.out()).startsWith("replicaset/web paused");
    assertThat(server.requests()).filteredOn(r -> r.method().equals("POST"))
        .extracting(r -> r.path() + " " + r.body())
        .containsExactly("/api/v1/replicasets/web/rollout/undo {\"revision\":1}", "/api/v1/replicasets/web/rollout/pause ");
  }

  @Test
  void undoToRevisionZeroIsBadInputAndSendsNothing() {
    CliRun run = shepherd("rollout", "undo", "web", "--to-revision", "0");

    assertThat(run.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("--to-revision");
    assertThat(server.requests()).noneMatch(r -> r.method().equals("POST"));
  }

  @Test
  void anUnknownReplicaSetIsRefused() {
    CliRun run = shepherd("rollout", "restart", "nope");

    assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).contains("nope").doesNotContain("\tat ");
  }
}
