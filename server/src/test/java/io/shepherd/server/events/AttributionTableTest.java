package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.server.api.EndpointCoverageTest;
import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ConfigChange;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.LastExit;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.zk.ZkPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mutating request's principal is in the events it causes. The table lists each endpoint that is not a GET, as
 * Jersey's model of the server has them ({@link EndpointCoverageTest#endpoints}), with the change its write makes in
 * ZooKeeper (built with the records' own methods, as the API's stores call them, given the caller's name) and the
 * event that change gives; or, for an endpoint that causes no event, why. A new mutating endpoint without a row
 * fails here, and so does a row whose event does not name the caller.
 */
class AttributionTableTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(2, List.of("sleep", "300"));
  private static final ReplicaSetSpec OTHER = ReplicaSetSpec.of(2, List.of("sleep", "301"));
  private static final StoredReplicaSet STORED = StoredReplicaSet.created(WEB, "someone-before");
  private static final ZkPath.ReplicaSet SET = new ZkPath.ReplicaSet("web");
  private static final ZkPath.Assignment ASSIGNMENT = new ZkPath.Assignment("node-a", "web-1");
  private static final AssignmentRecord RUNNING = AssignmentRecord.assigned("web-1", "web", "node-a",
      List.of("sleep", "300"), Map.of(), Optional.empty(), 10, OnPartition.KEEP_RUNNING, 0, 1, NOW)
      .running(4242, NOW);

  /** A change a request's write makes, given the caller's name, and the event it must give. */
  record Caused(EventType type, Function<String, Change> write) {}

  /** One mutating endpoint: the events its writes cause, or (none) why it causes no event. */
  record Row(String endpoint, List<Caused> causes, String whyNoEvent) {
    @Override
    public String toString() {
      return endpoint;
    }
  }

  private static Row row(String endpoint, Caused... causes) {
    return new Row(endpoint, List.of(causes), "");
  }

  private static Row noEvent(String endpoint, String why) {
    return new Row(endpoint, List.of(), why);
  }

  private static Caused spec(EventType type, Function<String, StoredReplicaSet> written) {
    return new Caused(type, by -> change(Change.Kind.CHANGED, SET, new ZnodeContent.Spec(STORED),
        new ZnodeContent.Spec(written.apply(by))));
  }

  private static Caused config(Function<String, ConfigChange> written) {
    return new Caused(EventType.CONFIG_CHANGED, by -> change(Change.Kind.CHANGED, new ZkPath.Config("web"),
        new ZnodeContent.Config(ConfigChange.set("OTHER", "someone-before")), new ZnodeContent.Config(written.apply(by))));
  }

  private static Caused rolloutStarted(RolloutReason cause) {
    return new Caused(EventType.ROLLOUT_STARTED, by -> change(Change.Kind.CHANGED, new ZkPath.Rollout("web"),
        new ZnodeContent.RolloutContent(rollout(0, 1, RolloutState.COMPLETE, RolloutReason.ALL_COPIES_UPDATED, "x")),
        new ZnodeContent.RolloutContent(rollout(1, 2, RolloutState.PROGRESSING, cause, by))));
  }

  private static Rollout rollout(int from, int to, RolloutState state, RolloutReason reason, String startedBy) {
    return new Rollout(from, to, state, reason, "", 2, 0, 0, 0, 2, from, Optional.empty(), startedBy, NOW, NOW,
        Optional.empty());
  }

  private static Change change(Change.Kind kind, ZkPath path, ZnodeContent before, ZnodeContent after) {
    return new Change(42, kind, path, NOW, Optional.of(new Observed(1, 1, 0, before)),
        Optional.ofNullable(after).map(a -> new Observed(1, 2, 1, a)), false);
  }

  static Stream<Row> table() {
    String replicaSets = "/api/v1/replicasets/{name}";
    String rollout = replicaSets + "/rollout/";
    return Stream.of(
        row("PUT " + replicaSets, new Caused(EventType.SPEC_CHANGED, by -> new Change(42, Change.Kind.CREATED, SET,
            NOW, Optional.empty(), Optional.of(new Observed(1, 1, 0,
                new ZnodeContent.Spec(StoredReplicaSet.created(WEB, by)))), false)),
            spec(EventType.SPEC_CHANGED, by -> STORED.newRevision(OTHER, by,
                RolloutReason.NEW_REVISION)),
            rolloutStarted(RolloutReason.NEW_REVISION)),
        row("PUT " + replicaSets + "/replicas",
            spec(EventType.SCALED, by -> STORED.withSpec(WEB.withReplicas(5)).changedLastBy(by))),
        row("DELETE " + replicaSets, spec(EventType.REPLICA_SET_DELETED, STORED::markDeleting)),
        // Without ?scale: a stop request in the assignment, which the leader deletes; with it, the count lowered.
        row("DELETE " + replicaSets + "/instances/{id}",
            new Caused(EventType.STOPPED, by -> change(Change.Kind.DELETED, ASSIGNMENT,
                ZnodeContent.Assignment.of(RUNNING.withStopRequested(by)), null)),
            spec(EventType.SCALED, by -> STORED.withSpec(WEB.withReplicas(1)).changedLastBy(by))),
        // The request, then its agent serving it: the restart in place it records.
        row("POST " + replicaSets + "/instances/{id}/restart",
            new Caused(EventType.INSTANCE_RESTARTED, by -> {
              AssignmentRecord asked = RUNNING.withRestartRequested(1, Optional.of(by));
              AssignmentRecord served = asked.restarting(new LastExit(-15, NOW, 1_000), Optional.empty(), 1)
                  .running(4243, NOW);
              return change(Change.Kind.CHANGED, ASSIGNMENT, ZnodeContent.Assignment.of(asked),
                  ZnodeContent.Assignment.of(served));
            })),
        row("POST " + rollout + "pause",
            spec(EventType.ROLLOUT_PAUSED, by -> STORED.withPaused(true).changedLastBy(by))),
        row("POST " + rollout + "resume", new Caused(EventType.ROLLOUT_PROGRESS, by -> change(Change.Kind.CHANGED,
            SET, new ZnodeContent.Spec(STORED.withPaused(true)),
            new ZnodeContent.Spec(STORED.withPaused(false).changedLastBy(by))))),
        row("POST " + rollout + "promote",
            spec(EventType.ROLLOUT_PROGRESS, by -> STORED.promoted().changedLastBy(by))),
        row("POST " + rollout + "restart",
            spec(EventType.SPEC_CHANGED, by -> STORED.newRevision(WEB, by, RolloutReason.RESTART)),
            rolloutStarted(RolloutReason.RESTART)),
        row("POST " + rollout + "undo",
            spec(EventType.SPEC_CHANGED, by -> STORED.newRevision(OTHER, "x",
                RolloutReason.NEW_REVISION).backTo(1, WEB, by, RolloutReason.UNDO)),
            rolloutStarted(RolloutReason.UNDO)),
        row("PUT /api/v1/breaker", new Caused(EventType.BREAKER, by -> change(Change.Kind.CHANGED,
            new ZkPath.Breaker(), new ZnodeContent.Breaker(BreakerState.opened(NOW, 10, "6 of 10 nodes vanished")),
            new ZnodeContent.Breaker(BreakerState.closedBy(NOW, by))))),
        // A set whose config file restarts on change also gets a rolling restart: ROLLOUT_STARTED, as above.
        row("PUT /api/v1/config/{name}/{key}", config(by -> ConfigChange.set("LOG_LEVEL", by)),
            rolloutStarted(RolloutReason.RESTART)),
        row("DELETE /api/v1/config/{name}/{key}", config(by -> ConfigChange.deleted("LOG_LEVEL", by)),
            rolloutStarted(RolloutReason.RESTART)),
        noEvent("POST /api/v1/tokens", "tokens are no event: the token list (GET /tokens) says who exists"),
        noEvent("DELETE /api/v1/tokens/{id}", "tokens are no event: a revoked token is gone from GET /tokens"));
  }

  @Test
  void theTableHasExactlyTheMutatingEndpointsOfJerseysModel() {
    Set<String> mutating = EndpointCoverageTest.endpoints(EndpointCoverageTest.resourceClasses()).stream()
        .filter(e -> !e.startsWith("GET ") && !e.startsWith("HEAD ") && !e.startsWith("OPTIONS "))
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(table().map(Row::endpoint).toList()).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(mutating);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void theEventsOfEachMutatingEndpointNameTheCaller(Row row) {
    assertThat(row.causes().isEmpty()).as("a row without events says why").isEqualTo(!row.whyNoEvent().isEmpty());
    for (Caused caused : row.causes()) {
      String caller = "caller-of-" + caused.type().name().toLowerCase();
      Optional<Event> event = EventTranslator.translate(caused.write().apply(caller));

      assertThat(event).as("%s gives %s", row.endpoint(), caused.type()).hasValueSatisfying(e -> {
        assertThat(e.type()).isEqualTo(caused.type());
        assertThat(e.by()).as(e.message()).hasValue(caller);
      });
    }
  }
}
