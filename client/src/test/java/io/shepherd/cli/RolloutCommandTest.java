package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.fake.FakeShepherdServer;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  void historyShowsWhoBroughtARevisionBackAndWhenOnALineOfItsOwn() {
    Revision.Restore undo = new Revision.Restore(T.plusSeconds(60), "carol", RolloutReason.UNDO, 2);
    Revision.Restore revert = new Revision.Restore(T.plusSeconds(120), Revision.CONTROLLER,
        RolloutReason.NEW_COPIES_CRASH_LOOP, 3);
    server.store().seedRollout("web", new Rollout(3, 1, RolloutState.REVERTED, RolloutReason.NEW_COPIES_CRASH_LOOP,
        "", 3, 3, 3, 3, 0, 1, Optional.of(3), "alice", T, T, Optional.empty()), List.of(
        new Revision(1, WEB.withEnv(Map.of("V", "1")), T, "bob", RolloutReason.NEW_REVISION, List.of(undo, revert)),
        new Revision(2, WEB, T.plusSeconds(30), "alice", RolloutReason.NEW_REVISION),
        new Revision(3, WEB, T.plusSeconds(90), "dave", RolloutReason.RESTART)));

    CliRun run = shepherd("rollout", "history", "web");

    assertThat(run.exit()).as(run.toString()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(1)).startsWith("1 ").contains("bob").contains("NEW_REVISION");
    assertThat(lines.get(2)).startsWith("2 ").contains("alice");
    assertThat(lines.get(3)).startsWith("1 ").contains("carol").contains("UNDO from 2");
    assertThat(lines.get(4)).startsWith("3 ").contains("dave").contains("RESTART");
    assertThat(lines.get(5)).as("the current revision, brought back last").startsWith("1 *")
        .contains("controller").contains("REVERTED from 3 (NEW_COPIES_CRASH_LOOP)");
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
  void resumePromoteRestartAndAPlainUndoEachPostTheirControlAndSayWhatTheyDid() {
    rollout(RolloutState.PAUSED, RolloutReason.CANARY_WAITING_FOR_PROMOTE, Optional.empty());

    CliRun resume = shepherd("rollout", "resume", "web");
    CliRun promote = shepherd("rollout", "promote", "web");
    CliRun restart = shepherd("rollout", "restart", "web");
    CliRun undo = shepherd("rollout", "undo", "web");

    for (CliRun run : List.of(resume, promote, restart, undo)) {
      assertThat(run.exit()).as(run.toString()).isZero();
    }
    assertThat(resume.out()).isEqualTo("replicaset/web resumed (revision 2)" + System.lineSeparator());
    assertThat(promote.out()).isEqualTo("replicaset/web promoted (revision 2)" + System.lineSeparator());
    assertThat(restart.out()).isEqualTo("replicaset/web restarting (revision 2)" + System.lineSeparator());
    assertThat(undo.out()).isEqualTo("replicaset/web rolling back (revision 2)" + System.lineSeparator());
    assertThat(server.requests()).filteredOn(r -> r.method().equals("POST"))
        .extracting(r -> r.path() + " " + r.body())
        .containsExactly("/api/v1/replicasets/web/rollout/resume ", "/api/v1/replicasets/web/rollout/promote ",
            "/api/v1/replicasets/web/rollout/restart ", "/api/v1/replicasets/web/rollout/undo {}");
  }

  @Test
  void aControlOfAnUnknownSetSendsNothingElseAndExitsOne() {
    for (String control : List.of("resume", "promote", "undo")) {
      CliRun run = shepherd("rollout", control, "nope");

      assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
      assertThat(run.err()).contains("nope").doesNotContain("\tat ");
    }
  }

  @Test
  void watchingASetWithoutRolloutsEndsAtOnceWithTheExitCodeOfApplyWait() throws IOException {
    CliRun watch = shepherd("rollout", "status", "web", "--watch");

    assertThat(watch.exit()).as(watch.toString()).isEqualTo(ExitCodes.OK);
    assertThat(watch.err()).contains("nothing to wait for");
    java.nio.file.Path file = java.nio.file.Files.createTempFile("web", ".json");
    try {
      java.nio.file.Files.writeString(file, "{\"name\": \"web\", \"replicas\": 3, \"command\": [\"sleep\", \"200000\"]}");
      CliRun apply = shepherd("apply", "-f", file.toString(), "--wait");

      assertThat(apply.exit()).as(apply.toString()).isEqualTo(watch.exit());
      assertThat(apply.err()).contains("nothing to wait for");
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  @Test
  void watchingACanaryWaitingForPromoteNamesTheCommandThatContinuesIt() throws Exception {
    rollout(RolloutState.PAUSED, RolloutReason.CANARY_WAITING_FOR_PROMOTE, Optional.empty());
    CompletableFuture<CliRun> watch = CompletableFuture.supplyAsync(() -> shepherd("rollout", "status", "web",
        "--watch"));

    await().atMost(Duration.ofSeconds(30)).until(() -> server.requests().stream()
        .filter(r -> r.path().equals("/api/v1/replicasets/web/rollout")).count() >= 2);
    server.store().seedRollout("web", new Rollout(1, 2, RolloutState.COMPLETE, RolloutReason.ALL_COPIES_UPDATED, "",
        3, 3, 3, 3, 0, 2, Optional.empty(), "alice", T, T, Optional.of(T)), List.of());
    CliRun run = watch.get(30, TimeUnit.SECONDS);

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out().lines()).containsSubsequence("revision 2: PAUSED 1 updated, 1 ready, 0 available of 3, 3 old"
        + " - no new copy became available", "paused after its canary copies; waiting for: shepherd rollout promote web",
        "revision 2: COMPLETE 3 updated, 3 ready, 3 available of 3");
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
