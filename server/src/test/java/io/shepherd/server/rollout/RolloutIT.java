package io.shepherd.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.Instance;
import io.shepherd.api.PortSpec;
import io.shepherd.api.Probe;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutPolicy;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.client.RejectedException;
import io.shepherd.client.ShepherdClient;
import io.shepherd.server.testing.AgentJvm;
import io.shepherd.server.testing.EventStream;
import io.shepherd.server.testing.LocalHttp;
import io.shepherd.server.testing.Processes;
import io.shepherd.server.testing.RolloutSampler;
import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.TestTokens;
import io.shepherd.server.testing.ZooKeeperExtension;
import io.shepherd.worker.record.PortRange;
import io.shepherd.cli.ShepherdCli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * Rollouts end to end on one server with its embedded agent: real HTTP servers with an http readiness probe, and a
 * sampler that reads the set every 20 ms through the API and remembers the most copies and the fewest ready ones.
 */
class RolloutIT {
  private static final Path AGENT_DIR = LocalHttp.tempDir("shepherd-rollout-agent");
  private static final Path V1 = LocalHttp.tempDir("shepherd-rollout-v1");
  private static final Path V2 = LocalHttp.tempDir("shepherd-rollout-v2");
  private static final Path BAD = LocalHttp.tempDir("shepherd-rollout-bad");
  private static final Duration LONG = Duration.ofSeconds(90);

  @RegisterExtension
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  static final ServerExtension SERVER = ServerExtension.withLocalAgent(ZK::connectString, "node-a", AGENT_DIR,
      ConfigOverride.config("agent.ports.from", "25000"),
      ConfigOverride.config("agent.ports.to", "25999"));

  private ShepherdClient shepherd;

  @BeforeEach
  void client() {
    shepherd = SERVER.adminClientOnceUp();
  }

  @AfterEach
  void cleanUp() {
    shepherd.list().forEach(s -> shepherd.delete(s.name()));
    await().atMost(Duration.ofSeconds(30)).until(() -> shepherd.list().isEmpty());
    await().atMost(Duration.ofSeconds(15)).until(() -> Processes.countDescendantsWith(V1.toString()) == 0
        && Processes.countDescendantsWith(V2.toString()) == 0 && Processes.countDescendantsWith(BAD.toString()) == 0
        && Processes.countDescendantsWith("sleep 200000") == 0 && Processes.countDescendantsWith("sleep 30000") == 0);
    shepherd.close();
  }

  /** An HTTP server of {@code dir} on its port, ready when it answers {@code path}; surge 1, unavailable 0. */
  static ReplicaSetSpec web(Path dir, String readyPath) {
    return ReplicaSetSpec.of(3, List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1",
            "--directory", dir.toString()))
        .withPorts(List.of(new PortSpec("http")))
        .withStopGraceMs(2_000)
        .withProbes(null, null, Probe.http("http", readyPath).withTimings(0, 200, 1_000, 1, 1))
        .withRollout(RolloutPolicy.DEFAULT.withBounds("1", "0"));
  }

  private void whole(String name, int revision) {
    await().atMost(LONG).until(() -> {
      List<Instance> ready = shepherd.instances(name);
      return ready.size() == 3 && ready.stream().allMatch(i -> i.revision() == revision)
          && shepherd.get(name).live() == 3;
    });
  }

  /** The rollout of revision {@code revision} once it ended: completed, failed, or reverted from it. */
  private Rollout ended(String name, int revision) {
    await().atMost(LONG).until(() -> {
      Rollout r = shepherd.rollout(name);
      return (r.toRevision() == revision || r.revertedFrom().equals(Optional.of(revision))) && r.state().ended();
    });
    return shepherd.rollout(name);
  }

  @Test
  void aChangedTemplateReplacesEveryCopyWithoutEverDroppingBelowThreeReadyNorExceedingFour() throws Exception {
    shepherd.apply("web", web(V1, "/"));
    whole("web", 1);
    await().atMost(LONG).until(() -> shepherd.rollout("web").state() == RolloutState.COMPLETE);
    List<Long> oldPids = shepherd.instances("web").stream().map(Instance::pid).toList();

    Rollout done;
    try (EventStream events = EventStream.open(SERVER.baseUrl());
         RolloutSampler sampler = new RolloutSampler(shepherd, "web")) {
      assertThat(shepherd.apply("web", web(V2, "/")).status().revision()).isEqualTo(2);
      // One read: the rollout of revision 1 is COMPLETE until the new one replaces it.
      await().atMost(LONG).until(() -> {
        Rollout r = shepherd.rollout("web");
        return r.toRevision() == 2 && r.state() == RolloutState.COMPLETE;
      });
      done = shepherd.rollout("web");
      assertThat(sampler.maxCopies()).as("the sampler saw the surge copy").isEqualTo(4);
      assertThat(sampler.minReady()).as("never fewer than replicas - maxUnavailable ready").isEqualTo(3);

      await().atMost(LONG).until(() -> rolloutEvents(events, "web").stream()
          .anyMatch(e -> e.type() == EventType.ROLLOUT_COMPLETE));
      List<Event> told = rolloutEvents(events, "web");
      assertThat(told).extracting(Event::type).as(told.toString()).first().isEqualTo(EventType.ROLLOUT_STARTED);
      assertThat(told).extracting(Event::type).as(told.toString()).last().isEqualTo(EventType.ROLLOUT_COMPLETE);
      assertThat(told.subList(1, told.size() - 1)).extracting(Event::type).as("each step between")
          .isNotEmpty().containsOnly(EventType.ROLLOUT_PROGRESS);
      assertThat(told).allSatisfy(e -> {
        assertThat(e.message()).contains("revision 1 -> 2 (by test-admin)");
        assertThat(e.by()).hasValue("test-admin");
      });
    }

    assertThat(done.fromRevision()).isEqualTo(1);
    assertThat(done.reason()).isEqualTo(RolloutReason.ALL_COPIES_UPDATED);
    assertThat(done.startedBy()).as("the token's name").isEqualTo("test-admin");
    assertThat(List.of(done.updated(), done.ready(), done.available(), done.old())).containsExactly(3, 3, 3, 0);
    assertThat(shepherd.instances("web")).extracting(Instance::revision).containsOnly(2);
    await().atMost(Duration.ofSeconds(15)).until(() -> Processes.noneAlive(oldPids)
        && Processes.countDescendantsWith(V1.toString()) == 0);
    assertThat(Processes.countDescendantsWith(V2.toString())).isEqualTo(3);
    assertThat(shepherd.revisions("web")).extracting(Revision::revision).containsExactly(1, 2);
    assertThat(shepherd.revisions("web")).extracting(Revision::createdBy).containsOnly("test-admin");
  }

  /**
   * Three {@code sleep}s under the default rollout policy. A copy without a readiness probe is ready the moment it
   * starts, so the surge copy would live only for the milliseconds before the leader stops an old one, too short for
   * a 20 ms sampler to be sure to see it. A probe that passes after 300 ms keeps each new copy unready that long.
   */
  private static ReplicaSetSpec sleepers(String seconds) {
    return ReplicaSetSpec.of(3, List.of("sleep", seconds)).withStopGraceMs(1_000)
        .withProbes(null, null, Probe.exec(List.of("true")).withTimings(300, 100, 1_000, 1, 1));
  }

  @Test
  void sleepOneHundredThousandBecomesSleepTwoHundredThousandWithNeverFewerThanThreeReady() {
    shepherd.apply("sleepers", sleepers("100000"));
    whole("sleepers", 1);

    try (RolloutSampler sampler = new RolloutSampler(shepherd, "sleepers")) {
      assertThat(shepherd.apply("sleepers", sleepers("200000")).status().revision()).isEqualTo(2);
      Rollout r = ended("sleepers", 2);
      assertThat(r.state()).isEqualTo(RolloutState.COMPLETE);
      assertThat(sampler.maxCopies()).as("the default 25% surge of 3 rounds up to 1").isEqualTo(4);
      assertThat(sampler.minReady()).as("the default 25% unavailable of 3 rounds down to 0").isEqualTo(3);
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> Processes.countDescendantsWith("sleep 100000") == 0);
    assertThat(Processes.countDescendantsWith("sleep 200000")).isEqualTo(3);
  }

  /**
   * An agent lost for real: its JVM SIGKILLed mid-rollout, so its copies live on as orphans until its session expires
   * and the leader replaces them on the other agent. Only the lost agent's copies may take the ready count below the
   * floor; the surge bound holds throughout; and the rollout completes on the remaining agent.
   */
  @Test
  void anAgentKilledMidRolloutHasItsCopiesReplacedAndTheRolloutCompletesWithinTheSurge() throws Exception {
    Path v1 = LocalHttp.tempDir("shepherd-rollout-lossy-v1");
    Path v2 = LocalHttp.tempDir("shepherd-rollout-lossy-v2");
    try (AgentJvm nodeB = new AgentJvm(ZK.connectString(), "node-b",
        java.nio.file.Files.createTempDirectory("shepherd-rollout-node-b"), Duration.ofSeconds(4),
        Optional.of(new PortRange(26_000, 26_999)))) {
      try {
        await().atMost(LONG).until(() -> shepherd.nodes().size() == 2);
        ReplicaSetSpec slow = web(v1, "/").withReplicas(4)
            .withProbes(null, null, Probe.http("http", "/").withTimings(1_000, 200, 1_000, 1, 1));
        shepherd.apply("lossy", slow);
        // Its copies first: the rollout of a set the leader has not looked at yet is not found.
        await().atMost(LONG).until(() -> shepherd.instances("lossy").size() == 4
            && shepherd.rollout("lossy").state() == RolloutState.COMPLETE);
        assertThat(shepherd.instances("lossy")).as("copies on both agents").extracting(Instance::node)
            .contains("node-a", "node-b");

        try (RolloutSampler sampler = new RolloutSampler(shepherd, "lossy")) {
          shepherd.apply("lossy", web(v2, "/").withReplicas(4).withProbes(null, null, slow.readiness()));
          await().atMost(LONG).until(() -> shepherd.rollout("lossy").toRevision() == 2
              && shepherd.rollout("lossy").updated() >= 1 && shepherd.rollout("lossy").old() >= 1);
          long onB = shepherd.instances("lossy", false).stream().filter(i -> i.node().equals("node-b")).count();
          assertThat(onB).as("copies the lost agent holds").isPositive();
          RolloutSampler.Counts atKill = sampler.counts();
          nodeB.sigkill();

          Rollout r = ended("lossy", 2);
          assertThat(r.state()).isEqualTo(RolloutState.COMPLETE);
          await().atMost(LONG).until(() -> sampler.counts().since(atKill).withoutOldCopies() > 0);
          assertThat(sampler.counts().since(atKill).withOldCopies()).as("reads after the kill, rollout unfinished")
              .isPositive();
          assertThat(sampler.maxCopies()).as("copies, live or pending: never above 4 + 1").isEqualTo(5);
          assertThat(sampler.minReady()).as("ready copies: only those of the lost agent went at once")
              .isGreaterThanOrEqualTo(4 - (int) onB);
        }
        assertThat(shepherd.instances("lossy")).hasSize(4).extracting(Instance::node).containsOnly("node-a");
        assertThat(shepherd.instances("lossy")).extracting(Instance::revision).containsOnly(2);
      } finally {
        // The lost agent's copies outlived it, as on a host whose agent crashed: orphans, no longer this JVM's.
        List<ProcessHandle> ours = ProcessHandle.current().descendants().toList();
        for (Path dir : List.of(v1, v2)) {
          Processes.anyWith(dir.toString()).stream().filter(p -> !ours.contains(p))
              .forEach(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  @Test
  void scalingMakesNoRevisionAndReplacesNoCopy() {
    shepherd.apply("scaled", web(V1, "/"));
    whole("scaled", 1);
    List<Long> pids = shepherd.instances("scaled").stream().map(Instance::pid).toList();

    shepherd.scale("scaled", 4);
    await().atMost(LONG).until(() -> shepherd.instances("scaled").size() == 4);
    shepherd.apply("scaled", web(V1, "/").withReplicas(4).withRollout(RolloutPolicy.DEFAULT));

    assertThat(shepherd.get("scaled").revision()).isEqualTo(1);
    assertThat(shepherd.revisions("scaled")).hasSize(1);
    assertThat(shepherd.instances("scaled")).extracting(Instance::pid).containsAll(pids);
  }

  @Test
  void aVersionThatExitsAtOnceRevertsByItselfAndTheOldCopiesNeverDropBelowTheBound() throws Exception {
    shepherd.apply("crashy", web(V1, "/"));
    whole("crashy", 1);
    await().atMost(LONG).until(() -> shepherd.rollout("crashy").state() == RolloutState.COMPLETE);
    List<Long> oldPids = shepherd.instances("crashy").stream().map(Instance::pid).toList();
    // The same web service whose new command exits at once: it never answers its readiness probe.
    ReplicaSetSpec good = web(V1, "/");
    ReplicaSetSpec exits = ReplicaSetSpec.of(3, List.of("python3", "-c", "raise SystemExit(3)", BAD.toString()))
        .withPorts(good.ports()).withStopGraceMs(good.stopGraceMs())
        .withProbes(null, null, good.readiness()).withRollout(good.rollout());

    try (EventStream events = EventStream.open(SERVER.baseUrl());
         RolloutSampler sampler = new RolloutSampler(shepherd, "crashy")) {
      shepherd.apply("crashy", exits);
      Rollout r = ended("crashy", 2);
      assertThat(r.state()).isEqualTo(RolloutState.REVERTED);
      assertThat(r.reason()).isEqualTo(RolloutReason.NEW_COPIES_CRASH_LOOP);
      assertThat(r.revertedFrom()).contains(2);
      assertThat(r.toRevision()).isEqualTo(1);
      assertThat(sampler.maxCopies()).as("the sampler saw the bad copy").isEqualTo(4);
      assertThat(sampler.minReady()).isEqualTo(3);

      await().atMost(LONG).until(() -> rolloutEvents(events, "crashy").stream()
          .anyMatch(e -> e.type() == EventType.ROLLOUT_REVERTED));
      List<Event> told = rolloutEvents(events, "crashy");
      assertThat(told).extracting(Event::type).as(told.toString())
          .containsSubsequence(EventType.ROLLOUT_STARTED, EventType.ROLLOUT_FAILED, EventType.ROLLOUT_REVERTED)
          .containsOnlyOnce(EventType.ROLLOUT_STARTED, EventType.ROLLOUT_FAILED, EventType.ROLLOUT_REVERTED)
          .doesNotContain(EventType.ROLLOUT_COMPLETE, EventType.ROLLOUT_PAUSED);
      assertThat(told).extracting(Event::type).first().isEqualTo(EventType.ROLLOUT_STARTED);
      assertThat(told).extracting(Event::type).last().isEqualTo(EventType.ROLLOUT_REVERTED);
      int failed = told.stream().map(Event::type).toList().indexOf(EventType.ROLLOUT_FAILED);
      assertThat(told.subList(0, failed)).allSatisfy(e -> assertThat(e.message()).contains("revision 1 -> 2"));
      assertThat(told.subList(failed, told.size())).allSatisfy(e -> assertThat(e.message())
          .contains("revision 2 -> 1"));
      assertThat(told).allSatisfy(e -> {
        assertThat(e.message()).contains("(by test-admin)");
        assertThat(e.by()).as("who started the rollout that failed").hasValue("test-admin");
      });
    }
    assertThat(shepherd.revisions("crashy").get(0).restores()).as("the controller brought revision 1 back")
        .singleElement().satisfies(back -> {
          assertThat(back.by()).isEqualTo(Revision.CONTROLLER);
          assertThat(back.reason()).isEqualTo(RolloutReason.NEW_COPIES_CRASH_LOOP);
          assertThat(back.fromRevision()).isEqualTo(2);
        });
    assertThat(shepherd.get("crashy").spec().command()).contains("http.server");
    assertThat(shepherd.get("crashy").revision()).isEqualTo(1);
    assertThat(shepherd.instances("crashy")).extracting(Instance::pid).containsExactlyInAnyOrderElementsOf(oldPids);
  }

  @Test
  void aVersionThatNeverBecomesReadyRevertsAtTheProgressDeadline() {
    shepherd.apply("stuck", web(V1, "/"));
    whole("stuck", 1);
    await().atMost(LONG).until(() -> shepherd.rollout("stuck").state() == RolloutState.COMPLETE);
    List<Long> oldPids = shepherd.instances("stuck").stream().map(Instance::pid).toList();
    ReplicaSetSpec neverReady = web(BAD, "/missing.txt")
        .withRollout(RolloutPolicy.DEFAULT.withBounds("1", "0").withProgressDeadlineMs(4_000));

    try (RolloutSampler sampler = new RolloutSampler(shepherd, "stuck")) {
      shepherd.apply("stuck", neverReady);
      Rollout r = ended("stuck", 2);
      assertThat(r.state()).isEqualTo(RolloutState.REVERTED);
      assertThat(r.reason()).isEqualTo(RolloutReason.PROGRESS_DEADLINE_EXCEEDED);
      assertThat(sampler.maxCopies()).as("the sampler saw the copy that never became ready").isEqualTo(4);
      assertThat(sampler.minReady()).isEqualTo(3);
    }
    assertThat(shepherd.instances("stuck")).extracting(Instance::pid).containsExactlyInAnyOrderElementsOf(oldPids);
    await().atMost(Duration.ofSeconds(15)).until(() -> Processes.countDescendantsWith(BAD.toString()) == 0);
  }

  @Test
  void aRollingRestartReplacesEveryCopyWithinTheBounds() {
    shepherd.apply("restarted", web(V1, "/"));
    whole("restarted", 1);
    await().atMost(LONG).until(() -> shepherd.rollout("restarted").state() == RolloutState.COMPLETE);
    List<Long> oldPids = shepherd.instances("restarted").stream().map(Instance::pid).toList();

    try (RolloutSampler sampler = new RolloutSampler(shepherd, "restarted")) {
      shepherd.restartRollout("restarted");
      await().atMost(LONG).until(() -> shepherd.rollout("restarted").toRevision() == 2
          && shepherd.rollout("restarted").state() == RolloutState.COMPLETE);
      assertThat(sampler.maxCopies()).isEqualTo(4);
      assertThat(sampler.minReady()).isEqualTo(3);
    }
    assertThat(shepherd.rollout("restarted").reason()).isEqualTo(RolloutReason.ALL_COPIES_UPDATED);
    assertThat(shepherd.revisions("restarted")).extracting(Revision::cause)
        .containsExactly(RolloutReason.NEW_REVISION, RolloutReason.RESTART);
    assertThat(shepherd.instances("restarted")).extracting(Instance::pid).doesNotContainAnyElementsOf(oldPids);
  }

  @Test
  void undoGoesBackToThePreviousRevisionAndASecondUndoComesBack() {
    shepherd.apply("undone", web(V1, "/"));
    whole("undone", 1);
    shepherd.apply("undone", web(V2, "/"));
    await().atMost(LONG).until(() -> shepherd.rollout("undone").toRevision() == 2
        && shepherd.rollout("undone").state() == RolloutState.COMPLETE);

    shepherd.undoRollout("undone", OptionalInt.empty());

    await().atMost(LONG).until(() -> shepherd.rollout("undone").toRevision() == 1
        && shepherd.rollout("undone").state() == RolloutState.COMPLETE);
    assertThat(shepherd.rollout("undone").reason()).isEqualTo(RolloutReason.ALL_COPIES_UPDATED);
    assertThat(shepherd.get("undone").spec().command()).contains(V1.toString());
    assertThat(Processes.countDescendantsWith(V1.toString())).isEqualTo(3);
    assertThatThrownBy(() -> shepherd.undoRollout("undone", OptionalInt.of(7)))
        .hasMessageContaining("revision 7");
    assertThat(shepherd.revisions("undone")).extracting(Revision::revision).as("an undo makes no revision")
        .containsExactly(1, 2);
    assertThat(shepherd.revisions("undone").get(0).restores()).singleElement().satisfies(back -> {
      assertThat(back.by()).isEqualTo("test-admin");
      assertThat(back.reason()).isEqualTo(RolloutReason.UNDO);
      assertThat(back.fromRevision()).isEqualTo(2);
    });

    // A second plain undo goes back to what ran before: revision 2 again.
    shepherd.undoRollout("undone", OptionalInt.empty());

    await().atMost(LONG).until(() -> shepherd.rollout("undone").toRevision() == 2
        && shepherd.rollout("undone").state() == RolloutState.COMPLETE);
    assertThat(shepherd.get("undone").spec().command()).contains(V2.toString());
    assertThat(shepherd.revisions("undone").get(1).restores()).extracting(Revision.Restore::fromRevision)
        .containsExactly(1);
  }

  @Test
  void aCanaryPausesAfterItsCopiesUntilPromotedAndAPauseHoldsTheRest() {
    ReplicaSetSpec v1 = web(V1, "/").withRollout(RolloutPolicy.DEFAULT.withBounds("1", "0").withCanary(1));
    shepherd.apply("canary", v1);
    whole("canary", 1);
    await().atMost(LONG).until(() -> shepherd.rollout("canary").state() == RolloutState.COMPLETE);

    shepherd.apply("canary", web(V2, "/").withRollout(v1.rollout()));
    await().atMost(LONG).until(() -> shepherd.rollout("canary").toRevision() == 2
        && shepherd.rollout("canary").state() == RolloutState.PAUSED);
    assertThat(shepherd.rollout("canary").reason()).isEqualTo(RolloutReason.CANARY_WAITING_FOR_PROMOTE);
    assertThat(shepherd.instances("canary")).extracting(Instance::revision).containsOnlyOnce(2);
    assertThat(Processes.countDescendantsWith(V2.toString())).isEqualTo(1);

    shepherd.pauseRollout("canary");
    shepherd.promoteRollout("canary");
    await().atMost(LONG).until(() -> shepherd.rollout("canary").reason() == RolloutReason.PAUSED_BY_USER);
    assertThat(shepherd.instances("canary")).extracting(Instance::revision).containsOnlyOnce(2);

    shepherd.resumeRollout("canary");
    await().atMost(LONG).until(() -> shepherd.rollout("canary").state() == RolloutState.COMPLETE);
    assertThat(shepherd.instances("canary")).hasSize(3).extracting(Instance::revision).containsOnly(2);
  }

  @Test
  void theClisWatchShowsABadVersionRevertingAndExitsNonZero() {
    shepherd.apply("watched", web(V1, "/"));
    whole("watched", 1);
    await().atMost(LONG).until(() -> shepherd.rollout("watched").state() == RolloutState.COMPLETE);
    ReplicaSetSpec good = web(V1, "/");
    shepherd.apply("watched", ReplicaSetSpec.of(3, List.of("python3", "-c", "raise SystemExit(3)", BAD.toString()))
        .withPorts(good.ports()).withStopGraceMs(good.stopGraceMs())
        .withProbes(null, null, good.readiness()).withRollout(good.rollout()));

    StringWriter out = new StringWriter();
    CommandLine cli = ShepherdCli.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    int exit = cli.execute("--server", SERVER.baseUrl(), "--token", TestTokens.admin(), "rollout", "status", "watched", "--watch");

    assertThat(exit).as(out.toString()).isEqualTo(5);
    assertThat(out.toString()).contains("REVERTED").contains("reverting from revision 2");
  }

  @Test
  void applyWaitFollowsTheRolloutOfTheChangeToItsEnd() throws Exception {
    Path file = java.nio.file.Files.createTempFile(AGENT_DIR, "waited", ".json");
    java.nio.file.Files.writeString(file,
        "{\"name\": \"waited\", \"replicas\": 2, \"command\": [\"sleep\", \"300001\"], \"stopGraceMs\": 1000}");
    assertThat(cli("apply", "-f", file.toString(), "--wait")).startsWith("0 ");
    java.nio.file.Files.writeString(file,
        "{\"name\": \"waited\", \"replicas\": 2, \"command\": [\"sleep\", \"300002\"], \"stopGraceMs\": 1000}");

    String second = cli("apply", "-f", file.toString(), "--wait");

    assertThat(second).startsWith("0 ").contains("revision 2").contains("revision 2: COMPLETE 2 updated, 2 ready, "
        + "2 available of 2");
    assertThat(Processes.countDescendantsWith("sleep 300002")).isEqualTo(2);
    await().atMost(Duration.ofSeconds(15)).until(() -> Processes.countDescendantsWith("sleep 300001") == 0);
  }

  /** The rollout events of {@code name} that {@code GET /api/v1/events} told, in order. */
  private static List<Event> rolloutEvents(EventStream stream, String name) {
    return stream.eventsOf(name).stream().filter(e -> e.type().name().startsWith("ROLLOUT_")).toList();
  }

  /** Runs {@code shepherd} against the server: its exit code, a space, and what it printed. */
  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = ShepherdCli.commandLine(Map.of("SHEPHERD_SERVERS", SERVER.baseUrl(), "SHEPHERD_TOKEN", TestTokens.admin()),
        new ByteArrayInputStream(new byte[0]));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute(args) + " " + out;
  }

  @Test
  void boundsThatAreBothZeroAreRefusedNamingTheField() {
    ReplicaSetSpec none = web(V1, "/").withRollout(RolloutPolicy.DEFAULT.withBounds("0", "0"));

    assertThatThrownBy(() -> shepherd.apply("zero", none))
        .isInstanceOfSatisfying(RejectedException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.field()).contains("rollout.maxSurge");
        });
    assertThat(shepherd.find("zero")).isEmpty();
  }
}
