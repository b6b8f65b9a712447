package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ConfigChange;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.RefusedPort;
import io.shepherd.worker.zk.ZkPath;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventTranslatorTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(2, List.of("sleep", "300"));
  private static final ZkPath.ReplicaSet SET = new ZkPath.ReplicaSet("web");
  private static final ZkPath.Status STATUS = new ZkPath.Status("web");
  private static final ZkPath.Instance INSTANCE = new ZkPath.Instance("web", "web-1");
  private static final ZkPath.Assignment ASSIGNMENT = new ZkPath.Assignment("node-a", "web-1");

  /** A notification with what was known around it, and the event it must give (empty: none). */
  record Row(String behaviour, Change change, Optional<EventType> type, String message, Optional<String> replicaSet,
      Optional<String> instance, Optional<String> node) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  private static Observed at(int version, ZnodeContent content) {
    return new Observed(100, 100 + version, version, content);
  }

  private static Change change(Change.Kind kind, ZkPath path, Optional<Observed> before, Optional<Observed> after,
      boolean superseded) {
    return new Change(42, kind, path, NOW, before, after, superseded);
  }

  private static ZnodeContent.Spec spec(ReplicaSetSpec spec, boolean deleting) {
    return new ZnodeContent.Spec(new StoredReplicaSet(spec, deleting));
  }

  private static ZnodeContent.Node refusing(RefusedPort... refused) {
    return new ZnodeContent.Node("10.0.0.1", 8, List.of(refused));
  }

  private static ZnodeContent.Breaker closedBreaker() {
    return new ZnodeContent.Breaker(BreakerState.closed(NOW, "nodes are back"));
  }

  private static ZnodeContent.Breaker openBreaker() {
    return new ZnodeContent.Breaker(BreakerState.opened(NOW, 10, "6 of 10 nodes vanished"));
  }

  private static ZnodeContent.Status failures(int n, Optional<Instant> next) {
    return new ZnodeContent.Status(new CrashLoopState(n, next));
  }

  private static Row row(String behaviour, Change change, EventType type, String message, String replicaSet,
      String instance, String node) {
    return new Row(behaviour, change, Optional.of(type), message, Optional.ofNullable(replicaSet),
        Optional.ofNullable(instance), Optional.ofNullable(node));
  }

  private static Row none(String behaviour, Change change) {
    return new Row(behaviour, change, Optional.empty(), "", Optional.empty(), Optional.empty(), Optional.empty());
  }

  static Stream<Row> rows() {
    Optional<Observed> web2 = Optional.of(at(0, spec(WEB, false)));
    return Stream.of(
        row("a created instance is up, on its node, with its pid",
            change(Change.Kind.CREATED, INSTANCE, Optional.empty(),
                Optional.of(at(0, new ZnodeContent.Instance("node-a", 4242))), false),
            EventType.INSTANCE_UP, "copy web-1 of web is up on node-a (pid 4242)", "web", "web-1", "node-a"),
        row("an instance without a known pid is up, without a pid",
            change(Change.Kind.CREATED, INSTANCE, Optional.empty(),
                Optional.of(at(0, new ZnodeContent.Instance("node-a", 0))), false),
            EventType.INSTANCE_UP, "copy web-1 of web is up on node-a", "web", "web-1", "node-a"),
        row("an instance that vanished before it was read is still up, without details",
            change(Change.Kind.CREATED, INSTANCE, Optional.empty(), Optional.empty(), false),
            EventType.INSTANCE_UP, "copy web-1 of web is up", "web", "web-1", null),
        row("a deleted instance is down, on the node it had",
            change(Change.Kind.DELETED, INSTANCE, Optional.of(at(0, new ZnodeContent.Instance("node-a", 4242))),
                Optional.empty(), false),
            EventType.INSTANCE_DOWN, "copy web-1 of web is down on node-a", "web", "web-1", "node-a"),
        none("an instance whose data changed but not its readiness is no event",
            change(Change.Kind.CHANGED, INSTANCE, Optional.of(at(0, new ZnodeContent.Instance("node-a", 4242))),
                Optional.of(at(1, new ZnodeContent.Instance("node-a", 4242))), false)),
        none("an unready instance that stays unready is no event",
            change(Change.Kind.CHANGED, INSTANCE,
                Optional.of(at(0, new ZnodeContent.Instance("node-a", 4242, false))),
                Optional.of(at(1, new ZnodeContent.Instance("node-a", 4242, false))), false)),
        row("an instance that turns ready is ready, on its node",
            change(Change.Kind.CHANGED, INSTANCE,
                Optional.of(at(0, new ZnodeContent.Instance("node-a", 4242, false))),
                Optional.of(at(1, new ZnodeContent.Instance("node-a", 4242, true))), false),
            EventType.INSTANCE_READY, "copy web-1 of web is ready on node-a", "web", "web-1", "node-a"),
        row("an instance that turns unready is unready, on its node",
            change(Change.Kind.CHANGED, INSTANCE,
                Optional.of(at(0, new ZnodeContent.Instance("node-a", 4242, true))),
                Optional.of(at(1, new ZnodeContent.Instance("node-a", 4242, false))), false),
            EventType.INSTANCE_UNREADY, "copy web-1 of web is not ready on node-a", "web", "web-1", "node-a"),
        none("a readiness change of an instance not read before is no event",
            change(Change.Kind.CHANGED, INSTANCE, Optional.empty(),
                Optional.of(at(1, new ZnodeContent.Instance("node-a", 4242, true))), false)),
        none("an unready instance whose new data could not be read is no event",
            change(Change.Kind.CHANGED, INSTANCE,
                Optional.of(at(0, new ZnodeContent.Instance("node-a", 4242, false))), Optional.empty(), false)),
        row("a ready instance that changed and was gone before it was read is unready, on the node it had",
            change(Change.Kind.CHANGED, INSTANCE,
                Optional.of(at(0, new ZnodeContent.Instance("node-b", 4242, true))), Optional.empty(), false),
            EventType.INSTANCE_UNREADY, "copy web-1 of web is not ready on node-b", "web", "web-1", "node-b"),
        row("a created assignment is assigned to the node of its path",
            change(Change.Kind.CREATED, ASSIGNMENT, Optional.empty(),
                Optional.of(at(0, new ZnodeContent.Assignment("web"))), false),
            EventType.ASSIGNED, "copy web-1 of web assigned to node-a", "web", "web-1", "node-a"),
        row("a deleted assignment is stopped",
            change(Change.Kind.DELETED, ASSIGNMENT, Optional.of(at(2, new ZnodeContent.Assignment("web"))),
                Optional.empty(), false),
            EventType.STOPPED, "copy web-1 of web unassigned from node-a: its agent stops it", "web", "web-1",
            "node-a"),
        row("a deleted assignment whose copy its agent recorded as exited is the clean-up of an ended copy",
            change(Change.Kind.DELETED, ASSIGNMENT, Optional.of(at(3, new ZnodeContent.Assignment("web", 0,
                Optional.empty(), 0, Optional.empty(), Optional.empty(),
                Optional.of(new ZnodeContent.Ended(Optional.of(3), Optional.empty()))))), Optional.empty(), false),
            EventType.STOPPED, "copy web-1 of web unassigned from node-a: its copy had ended (exit 3)", "web",
            "web-1", "node-a"),
        row("a deleted assignment whose copy failed to start says why it ended",
            change(Change.Kind.DELETED, ASSIGNMENT, Optional.of(at(3, new ZnodeContent.Assignment("web", 0,
                Optional.empty(), 0, Optional.empty(), Optional.empty(),
                Optional.of(new ZnodeContent.Ended(Optional.empty(), Optional.of("failed to start")))))),
                Optional.empty(), false),
            EventType.STOPPED, "copy web-1 of web unassigned from node-a: its copy had ended (failed to start)",
            "web", "web-1", "node-a"),
        row("a deleted assignment a user asked to stop is stopped, saying who asked",
            change(Change.Kind.DELETED, ASSIGNMENT, Optional.of(at(2, new ZnodeContent.Assignment("web", 0,
                Optional.empty(), 0, Optional.empty(), Optional.of("erin")))), Optional.empty(), false),
            EventType.STOPPED, "copy web-1 of web unassigned from node-a: its agent stops it (stop asked by erin)",
            "web", "web-1", "node-a"),
        row("a restart in place a user asked for says who asked instead of how the copy ended",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.of(at(0, new ZnodeContent.Assignment("web"))),
                Optional.of(at(1, new ZnodeContent.Assignment("web", 1, Optional.of(-15), 1, Optional.of("frank"),
                    Optional.empty()))), false),
            EventType.INSTANCE_RESTARTED, "copy web-1 of web restarted in place on node-a as frank asked (restart 1)",
            "web", "web-1", "node-a"),
        none("the agent recording progress in an assignment is no event",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.empty(), Optional.empty(), false)),
        none("an assignment rewritten with as many restarts is no event",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.of(at(0, new ZnodeContent.Assignment("web", 1,
                Optional.of(-9)))), Optional.of(at(1, new ZnodeContent.Assignment("web", 1, Optional.of(-9)))), false)),
        row("a rising restart count is a restart in place, with the signal that ended the copy",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.of(at(0, new ZnodeContent.Assignment("web"))),
                Optional.of(at(1, new ZnodeContent.Assignment("web", 1, Optional.of(-9)))), false),
            EventType.INSTANCE_RESTARTED, "copy web-1 of web restarted in place on node-a after signal 9 (restart 1)",
            "web", "web-1", "node-a"),
        row("a restart after an exit names its code",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.of(at(0, new ZnodeContent.Assignment("web", 2,
                Optional.of(-9)))), Optional.of(at(1, new ZnodeContent.Assignment("web", 3, Optional.of(3)))), true),
            EventType.INSTANCE_RESTARTED, "copy web-1 of web restarted in place on node-a after exit 3 (restart 3)",
            "web", "web-1", "node-a"),
        row("a restart whose exit is unknown says nothing of it",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.of(at(0, new ZnodeContent.Assignment("web"))),
                Optional.of(at(1, new ZnodeContent.Assignment("web", 1, Optional.empty()))), false),
            EventType.INSTANCE_RESTARTED, "copy web-1 of web restarted in place on node-a (restart 1)",
            "web", "web-1", "node-a"),
        row("a restart after a clean exit names exit 0",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.of(at(0, new ZnodeContent.Assignment("web"))),
                Optional.of(at(1, new ZnodeContent.Assignment("web", 1, Optional.of(0)))), false),
            EventType.INSTANCE_RESTARTED, "copy web-1 of web restarted in place on node-a after exit 0 (restart 1)",
            "web", "web-1", "node-a"),
        none("an assignment that vanished before it was read is no restart",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.of(at(0, new ZnodeContent.Assignment("web", 1,
                Optional.of(-9)))), Optional.empty(), false)),
        none("an assignment whose earlier content is unknown is no restart",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.empty(),
                Optional.of(at(1, new ZnodeContent.Assignment("web", 1, Optional.of(-9)))), false)),
        row("a registered node is up",
            change(Change.Kind.CREATED, new ZkPath.Node("node-a"), Optional.empty(),
                Optional.of(at(0, new ZnodeContent.Node("10.0.0.1", 8))), false),
            EventType.NODE_UP, "node node-a registered (host 10.0.0.1, capacity 8)", null, null, "node-a"),
        row("a node whose registration went away is down",
            change(Change.Kind.DELETED, new ZkPath.Node("node-a"), Optional.empty(), Optional.empty(), false),
            EventType.NODE_DOWN, "node node-a is gone: its copies are replaced elsewhere", null, null, "node-a"),
        none("a node whose data changed is no event",
            change(Change.Kind.CHANGED, new ZkPath.Node("node-a"),
                Optional.of(at(0, new ZnodeContent.Node("10.0.0.1", 8))),
                Optional.of(at(1, new ZnodeContent.Node("10.0.0.1", 8))), false)),
        row("a node's gateway that begins to refuse a port says which, for which set and why",
            change(Change.Kind.CHANGED, new ZkPath.Node("node-a"),
                Optional.of(at(0, new ZnodeContent.Node("10.0.0.1", 8))),
                Optional.of(at(1, refusing(new RefusedPort(80, "web", "port 80 is privileged")))), false),
            EventType.GATEWAY_PORTS, "node node-a's gateway does not listen on port 80 (web): port 80 is privileged",
            "web", null, "node-a"),
        row("a node's gateway that no longer refuses a port says so",
            change(Change.Kind.CHANGED, new ZkPath.Node("node-a"),
                Optional.of(at(0, refusing(new RefusedPort(80, "web", "port 80 is privileged")))),
                Optional.of(at(1, new ZnodeContent.Node("10.0.0.1", 8))), false),
            EventType.GATEWAY_PORTS, "node node-a's gateway no longer refuses port 80 (web)", "web", null, "node-a"),
        row("a new reason for a refused port, and another port of another set served again",
            change(Change.Kind.CHANGED, new ZkPath.Node("node-a"),
                Optional.of(at(0, refusing(new RefusedPort(9000, "web", "cannot bind: Address already in use"),
                    new RefusedPort(9001, "api", "cannot bind: Address already in use")))),
                Optional.of(at(1, refusing(new RefusedPort(9000, "web", "cannot bind: Permission denied")))), false),
            EventType.GATEWAY_PORTS, "node node-a's gateway does not listen on port 9000 (web): cannot bind: "
                + "Permission denied; no longer refuses port 9001 (api)", null, null, "node-a"),
        none("the same refused ports in a rewritten record are no event",
            change(Change.Kind.CHANGED, new ZkPath.Node("node-a"),
                Optional.of(at(0, refusing(new RefusedPort(80, "web", "port 80 is privileged")))),
                Optional.of(at(1, refusing(new RefusedPort(80, "web", "port 80 is privileged")))), false)),
        none("refused ports of a node whose record before is unknown are no event",
            change(Change.Kind.CHANGED, new ZkPath.Node("node-a"), Optional.empty(),
                Optional.of(at(1, refusing(new RefusedPort(80, "web", "port 80 is privileged")))), false)),
        row("a created spec is a spec change",
            change(Change.Kind.CREATED, SET, Optional.empty(), web2, false),
            EventType.SPEC_CHANGED, "web created: 2 replicas of [sleep, 300]", "web", null, null),
        row("a count change alone is a scale from and to",
            change(Change.Kind.CHANGED, SET, web2, Optional.of(at(1, spec(WEB.withReplicas(5), false))), false),
            EventType.SCALED, "web scaled from 2 to 5", "web", null, null),
        row("a changed command is a spec change",
            change(Change.Kind.CHANGED, SET, web2,
                Optional.of(at(1, spec(ReplicaSetSpec.of(2, List.of("sleep", "301")), false))), false),
            EventType.SPEC_CHANGED, "web spec replaced", "web", null, null),
        row("a changed command and count is a spec change that names the count",
            change(Change.Kind.CHANGED, SET, web2,
                Optional.of(at(1, spec(ReplicaSetSpec.of(3, List.of("sleep", "301")), false))), false),
            EventType.SPEC_CHANGED, "web spec replaced, replicas from 2 to 3", "web", null, null),
        row("a spec rewritten unchanged is a spec change, not a scale",
            change(Change.Kind.CHANGED, SET, web2, Optional.of(at(1, spec(WEB, false))), false),
            EventType.SPEC_CHANGED, "web spec replaced", "web", null, null),
        row("an unknown previous version makes any change a spec change",
            change(Change.Kind.CHANGED, SET, Optional.empty(), Optional.of(at(1, spec(WEB.withReplicas(5), false))),
                false),
            EventType.SPEC_CHANGED, "web spec replaced: 5 replicas", "web", null, null),
        row("data that changed again before it was read is reported as such",
            change(Change.Kind.CHANGED, SET, web2, Optional.of(at(3, spec(WEB.withReplicas(5), false))), true),
            EventType.SPEC_CHANGED, "web spec replaced: 5 replicas (it changed again at once)", "web", null, null),
        row("the deleting flag is a deletion",
            change(Change.Kind.CHANGED, SET, web2, Optional.of(at(1, spec(WEB, true))), false),
            EventType.REPLICA_SET_DELETED, "web is being deleted: its copies are stopped", "web", null, null),
        none("a repeated delete request is no event",
            change(Change.Kind.CHANGED, SET, Optional.of(at(1, spec(WEB, true))), Optional.of(at(2, spec(WEB, true))),
                false)),
        row("a delete request read only after the spec changed again is reported",
            change(Change.Kind.CHANGED, SET, Optional.of(at(1, spec(WEB, true))), Optional.of(at(3, spec(WEB, true))),
                true),
            EventType.REPLICA_SET_DELETED, "web is being deleted: its copies are stopped", "web", null, null),
        row("a spec gone before its change was read was being deleted",
            change(Change.Kind.CHANGED, SET, web2, Optional.empty(), false),
            EventType.REPLICA_SET_DELETED, "web is being deleted: its copies are stopped", "web", null, null),
        row("a removed spec is a deletion",
            change(Change.Kind.DELETED, SET, Optional.empty(), Optional.empty(), false),
            EventType.REPLICA_SET_DELETED, "web removed: none of its copies is left", "web", null, null),
        row("rising failures are a crash loop, with the next spawn time",
            change(Change.Kind.CHANGED, STATUS, Optional.of(at(0, failures(1, Optional.empty()))),
                Optional.of(at(1, failures(2, Optional.of(NOW.plusSeconds(1))))), false),
            EventType.CRASH_LOOP, "web crash-loops: 2 consecutive failures; next copy not before 2026-01-01T00:00:01Z",
            "web", null, null),
        row("a first failure is a crash loop whose next copy starts at once",
            change(Change.Kind.CREATED, STATUS, Optional.empty(), Optional.of(at(0, failures(1, Optional.empty()))),
                false),
            EventType.CRASH_LOOP, "web crash-loops: 1 consecutive failure; next copy at once", "web", null, null),
        row("failures that changed again before they were read are reported as a crash loop",
            change(Change.Kind.CHANGED, STATUS, Optional.of(at(0, failures(3, Optional.empty()))),
                Optional.of(at(2, failures(2, Optional.empty()))), true),
            EventType.CRASH_LOOP, "web crash-loops: 2 consecutive failures; next copy at once", "web", null, null),
        none("a status rewritten with as many failures is no event",
            change(Change.Kind.CHANGED, STATUS, Optional.of(at(0, failures(2, Optional.empty()))),
                Optional.of(at(1, failures(2, Optional.of(NOW.plusSeconds(1))))), false)),
        none("a status created with no failure is no event",
            change(Change.Kind.CREATED, STATUS, Optional.empty(), Optional.of(at(0, failures(0, Optional.empty()))),
                false)),
        none("a status that vanished before it was read is no event",
            change(Change.Kind.CHANGED, STATUS, Optional.of(at(0, failures(1, Optional.empty()))), Optional.empty(),
                false)),
        row("an opening breaker is reported with its reason",
            change(Change.Kind.CHANGED, new ZkPath.Breaker(), Optional.of(at(0, closedBreaker())),
                Optional.of(at(1, new ZnodeContent.Breaker(BreakerState.opened(NOW, 10, "6 of 10 nodes vanished")))),
                false),
            EventType.BREAKER, "mass-loss breaker open: 6 of 10 nodes vanished", null, null, null),
        row("a breaker reset by an operator is reported closed",
            change(Change.Kind.CHANGED, new ZkPath.Breaker(),
                Optional.of(at(1, new ZnodeContent.Breaker(BreakerState.opened(NOW, 10, "6 of 10 nodes vanished")))),
                Optional.of(at(2, new ZnodeContent.Breaker(BreakerState.closed(NOW, "reset by an operator")))), false),
            EventType.BREAKER, "mass-loss breaker closed: reset by an operator", null, null, null),
        none("rewriting a closed breaker as closed is no event",
            change(Change.Kind.CHANGED, new ZkPath.Breaker(), Optional.of(at(0, closedBreaker())),
                Optional.of(at(1, closedBreaker())), false)),
        none("rewriting an open breaker as open is no event",
            change(Change.Kind.CHANGED, new ZkPath.Breaker(), Optional.of(at(0, openBreaker())),
                Optional.of(at(1, openBreaker())), false)),
        row("a breaker that changed again before it was read is reported as it now is",
            change(Change.Kind.CHANGED, new ZkPath.Breaker(), Optional.of(at(0, closedBreaker())),
                Optional.of(at(2, closedBreaker())), true),
            EventType.BREAKER, "mass-loss breaker closed: nodes are back", null, null, null),
        none("a breaker that vanished before it was read is no event",
            change(Change.Kind.CHANGED, new ZkPath.Breaker(), Optional.of(at(0, openBreaker())), Optional.empty(),
                false)),
        none("a reset of the failures is no event",
            change(Change.Kind.CHANGED, STATUS, Optional.of(at(0, failures(3, Optional.empty()))),
                Optional.of(at(1, failures(0, Optional.empty()))), false)),
        none("a removed status is no event",
            change(Change.Kind.DELETED, STATUS, Optional.empty(), Optional.empty(), false)),
        row("a set's config recording a key set is a config change naming the key, not the value",
            change(Change.Kind.CHANGED, new ZkPath.Config("web"), Optional.empty(),
                Optional.of(at(1, new ZnodeContent.Config(ConfigChange.set("LOG_LEVEL", "jo")))), false),
            EventType.CONFIG_CHANGED, "web config LOG_LEVEL set by jo", "web", null, null),
        row("a set's config recording a key deleted is a config change",
            change(Change.Kind.CHANGED, new ZkPath.Config("web"), Optional.empty(),
                Optional.of(at(1, new ZnodeContent.Config(ConfigChange.deleted("LOG_LEVEL", "jo")))), false),
            EventType.CONFIG_CHANGED, "web config LOG_LEVEL deleted by jo", "web", null, null),
        row("a config change read after a later one says neither key nor caller",
            change(Change.Kind.CHANGED, new ZkPath.Config("web"), Optional.empty(),
                Optional.of(at(2, new ZnodeContent.Config(ConfigChange.set("OTHER", "kim")))), true),
            EventType.CONFIG_CHANGED, "web config changed (it changed again at once)", "web", null, null),
        none("a set's config created empty is no event",
            change(Change.Kind.CREATED, new ZkPath.Config("web"), Optional.empty(), Optional.empty(), false)),
        none("a set's config created, read once its first value was set, is no event: that change has its own",
            change(Change.Kind.CREATED, new ZkPath.Config("web"), Optional.empty(),
                Optional.of(at(1, new ZnodeContent.Config(ConfigChange.set("LOG_LEVEL", "jo")))), true)),
        none("a set's config container removed is no event",
            change(Change.Kind.DELETED, new ZkPath.Config("web"), Optional.empty(), Optional.empty(), false)),
        none("configuration values are no event",
            change(Change.Kind.CREATED, new ZkPath.ConfigValue("web", "k"), Optional.empty(), Optional.empty(),
                false)),
        none("the epoch is no event",
            change(Change.Kind.CHANGED, new ZkPath.Epoch(), Optional.empty(), Optional.empty(), false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void translates(Row row) {
    Optional<Event> event = EventTranslator.translate(row.change());
    assertThat(event.map(Event::type)).isEqualTo(row.type());
    event.ifPresent(e -> {
      assertThat(e.id()).isEqualTo(42);
      assertThat(e.time()).isEqualTo(NOW);
      assertThat(e.message()).isEqualTo(row.message());
      assertThat(e.replicaSet()).isEqualTo(row.replicaSet());
      assertThat(e.instance()).isEqualTo(row.instance());
      assertThat(e.node()).isEqualTo(row.node());
    });
  }

  private static final ZkPath.Rollout ROLLOUT = new ZkPath.Rollout("web");

  private static ZnodeContent.RolloutContent rollout(int from, int to, RolloutState state, RolloutReason reason,
      int updated, Optional<Integer> revertedFrom) {
    return new ZnodeContent.RolloutContent(new Rollout(from, to, state, reason, "", 3, updated, updated, updated,
        3 - updated, from, revertedFrom, "alice", NOW, NOW, Optional.empty()));
  }

  private static Change rolloutChange(ZnodeContent.RolloutContent before, ZnodeContent.RolloutContent after) {
    return change(Change.Kind.CHANGED, ROLLOUT, Optional.of(at(0, before)), Optional.of(at(1, after)), false);
  }

  static Stream<Arguments> rollouts() {
    ZnodeContent.RolloutContent done = rollout(0, 1, RolloutState.COMPLETE, RolloutReason.ALL_COPIES_UPDATED, 3,
        Optional.empty());
    ZnodeContent.RolloutContent started = rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, 0,
        Optional.empty());
    ZnodeContent.RolloutContent stepped = rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, 1,
        Optional.empty());
    return Stream.of(
        Arguments.of("a new target revision starts a rollout, with who started it", rolloutChange(done, started),
            Optional.of(EventType.ROLLOUT_STARTED), "web revision 1 -> 2 (by alice)"),
        Arguments.of("new counts are a step", rolloutChange(started, stepped),
            Optional.of(EventType.ROLLOUT_PROGRESS), "web revision 1 -> 2 (by alice): 1 updated, 1 ready"),
        Arguments.of("the same counts again are nothing", rolloutChange(stepped, stepped), Optional.empty(), ""),
        Arguments.of("paused", rolloutChange(stepped, rollout(1, 2, RolloutState.PAUSED,
            RolloutReason.CANARY_WAITING_FOR_PROMOTE, 1, Optional.empty())),
            Optional.of(EventType.ROLLOUT_PAUSED), "PAUSED (CANARY_WAITING_FOR_PROMOTE)"),
        Arguments.of("complete", rolloutChange(stepped, rollout(1, 2, RolloutState.COMPLETE,
            RolloutReason.ALL_COPIES_UPDATED, 3, Optional.empty())),
            Optional.of(EventType.ROLLOUT_COMPLETE), "COMPLETE (ALL_COPIES_UPDATED)"),
        Arguments.of("a revert starting is the failure", rolloutChange(stepped, rollout(2, 1,
            RolloutState.PROGRESSING, RolloutReason.NEW_COPIES_CRASH_LOOP, 0, Optional.of(2))),
            Optional.of(EventType.ROLLOUT_FAILED), "rollout failed (NEW_COPIES_CRASH_LOOP)"),
        Arguments.of("a revert done is reverted", rolloutChange(
            rollout(2, 1, RolloutState.PROGRESSING, RolloutReason.NEW_COPIES_CRASH_LOOP, 2, Optional.of(2)),
            rollout(2, 1, RolloutState.REVERTED, RolloutReason.NEW_COPIES_CRASH_LOOP, 3, Optional.of(2))),
            Optional.of(EventType.ROLLOUT_REVERTED), "web revision 2 -> 1 (by alice): REVERTED"),
        Arguments.of("paused because a user asked is no rollout event: the spec's pause told it, naming who",
            rolloutChange(stepped, rollout(1, 2, RolloutState.PAUSED, RolloutReason.PAUSED_BY_USER, 1,
                Optional.empty())), Optional.empty(), ""),
        Arguments.of("going on after a user's pause is no rollout event: the spec's resume told it, naming who",
            rolloutChange(rollout(1, 2, RolloutState.PAUSED, RolloutReason.PAUSED_BY_USER, 1, Optional.empty()),
                stepped), Optional.empty(), ""),
        Arguments.of("going on past the canary is no rollout event: the spec's promote told it, naming who",
            rolloutChange(rollout(1, 2, RolloutState.PAUSED, RolloutReason.CANARY_WAITING_FOR_PROMOTE, 1,
                Optional.empty()), stepped), Optional.empty(), ""),
        Arguments.of("a new replica set's first revision is no rollout event", change(Change.Kind.CREATED, ROLLOUT,
            Optional.empty(), Optional.of(at(0, rollout(0, 1, RolloutState.COMPLETE, RolloutReason.ALL_COPIES_UPDATED,
                3, Optional.empty()))), false), Optional.empty(), ""),
        Arguments.of("failed without a revert", rolloutChange(stepped, rollout(1, 2, RolloutState.FAILED,
            RolloutReason.PROGRESS_DEADLINE_EXCEEDED, 1, Optional.empty())),
            Optional.of(EventType.ROLLOUT_FAILED), "FAILED (PROGRESS_DEADLINE_EXCEEDED)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rollouts")
  void rolloutChangesAreRolloutEventsOfTheirReplicaSet(String behaviour, Change change, Optional<EventType> type,
      String contained) {
    Optional<Event> event = EventTranslator.translate(change);
    assertThat(event.map(Event::type)).isEqualTo(type);
    event.ifPresent(e -> {
      assertThat(e.message()).contains(contained);
      assertThat(e.replicaSet()).contains("web");
      Rollout r = change.after(ZnodeContent.RolloutContent.class).orElseThrow().rollout();
      assertThat(e.message()).as("the revisions and who started the rollout")
          .startsWith("web revision " + r.fromRevision() + " -> " + r.toRevision() + " (by alice)");
      assertThat(e.by()).contains("alice");
    });
  }

  static Stream<Arguments> rolloutRequests() {
    StoredReplicaSet running = StoredReplicaSet.created(WEB, "alice");
    StoredReplicaSet paused = running.withPaused(true).changedLastBy("gina");
    StoredReplicaSet second = running.newRevision(WEB.withEnv(java.util.Map.of("V", "2")), "bob",
        RolloutReason.NEW_REVISION);
    return Stream.of(
        Arguments.of("a pause of the spec is the rollout paused by who asked", running, paused,
            EventType.ROLLOUT_PAUSED, "web rollout to revision 1 (started by alice) paused by gina"),
        Arguments.of("a resume of the spec is the rollout going on, by who asked", paused,
            paused.withPaused(false).changedLastBy("hal"), EventType.ROLLOUT_PROGRESS,
            "web rollout to revision 1 (started by alice) resumed by hal"),
        Arguments.of("a pause names the revision that ran before, and who started the rollout", second,
            second.withPaused(true).changedLastBy("gina"), EventType.ROLLOUT_PAUSED,
            "web rollout 1 -> 2 (started by bob) paused by gina"),
        Arguments.of("a promote of the spec is the rollout going on past its canary, by who asked", running,
            running.promoted().changedLastBy("ivy"), EventType.ROLLOUT_PROGRESS,
            "web rollout to revision 1 (started by alice): revision 1 promoted past its canary by ivy"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rolloutRequests")
  void aPauseResumeOrPromoteOfTheSpecIsARolloutEventNoSpecChange(String behaviour, StoredReplicaSet before,
      StoredReplicaSet after, EventType type, String message) {
    Change change = change(Change.Kind.CHANGED, SET, Optional.of(at(0, new ZnodeContent.Spec(before))),
        Optional.of(at(1, new ZnodeContent.Spec(after))), false);

    assertThat(EventTranslator.translate(change)).hasValueSatisfying(e -> {
      assertThat(e.type()).isEqualTo(type);
      assertThat(e.message()).isEqualTo(message);
      assertThat(e.by()).isEqualTo(after.by());
    });
  }

  private static ZnodeContent.Spec specBy(ReplicaSetSpec spec, boolean deleting, String by) {
    return new ZnodeContent.Spec(new StoredReplicaSet(spec, deleting).changedLastBy(by));
  }

  /** Who caused each event: the principal the API stored with what it wrote, and nobody for the cluster's own. */
  static Stream<Arguments> principals() {
    Optional<Observed> web2 = Optional.of(at(0, specBy(WEB, false, "alice")));
    return Stream.of(
        Arguments.of("a spec created by alice is alice's",
            change(Change.Kind.CREATED, SET, Optional.empty(), web2, false), Optional.of("alice")),
        Arguments.of("a scale by bob is bob's, whoever wrote the spec before",
            change(Change.Kind.CHANGED, SET, web2, Optional.of(at(1, specBy(WEB.withReplicas(5), false, "bob"))),
                false), Optional.of("bob")),
        Arguments.of("a delete request by carol is carol's",
            change(Change.Kind.CHANGED, SET, web2, Optional.of(at(1, specBy(WEB, true, "carol"))), false),
            Optional.of("carol")),
        Arguments.of("the leader's removal of the spec is nobody's",
            change(Change.Kind.DELETED, SET, web2, Optional.empty(), false), Optional.empty()),
        Arguments.of("a spec written before tokens existed is nobody's",
            change(Change.Kind.CHANGED, SET, web2, Optional.of(at(1, spec(WEB.withReplicas(3), false))), false),
            Optional.empty()),
        Arguments.of("a breaker closed by dana is dana's",
            change(Change.Kind.CHANGED, new ZkPath.Breaker(), Optional.of(at(0, openBreaker())),
                Optional.of(at(1, new ZnodeContent.Breaker(BreakerState.closedBy(NOW, "dana")))), false),
            Optional.of("dana")),
        Arguments.of("a breaker the leader opened is nobody's",
            change(Change.Kind.CHANGED, new ZkPath.Breaker(), Optional.of(at(0, closedBreaker())),
                Optional.of(at(1, openBreaker())), false), Optional.empty()),
        Arguments.of("a copy coming up is nobody's",
            change(Change.Kind.CREATED, INSTANCE, Optional.empty(),
                Optional.of(at(0, new ZnodeContent.Instance("node-a", 4242))), false), Optional.empty()),
        Arguments.of("a copy erin asked to stop, unassigned, is erin's",
            change(Change.Kind.DELETED, ASSIGNMENT, Optional.of(at(3, assignment(0, 0, null, "erin"))),
                Optional.empty(), false), Optional.of("erin")),
        Arguments.of("a copy the leader unassigned by itself is nobody's",
            change(Change.Kind.DELETED, ASSIGNMENT, Optional.of(at(3, assignment(0, 0, null, null))),
                Optional.empty(), false), Optional.empty()),
        Arguments.of("a restart in place frank asked for is frank's",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.of(at(1, assignment(0, 0, "frank", null))),
                Optional.of(at(2, assignment(1, 1, "frank", null))), false), Optional.of("frank")),
        Arguments.of("a restart in place after a crash is nobody's, though frank asked for an earlier one",
            change(Change.Kind.CHANGED, ASSIGNMENT, Optional.of(at(1, assignment(1, 1, "frank", null))),
                Optional.of(at(2, assignment(2, 1, "frank", null))), false), Optional.empty()),
        Arguments.of("a rollout alice's spec change started is alice's",
            rolloutChange(rollout(0, 1, RolloutState.COMPLETE, RolloutReason.ALL_COPIES_UPDATED, 3, Optional.empty()),
                rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, 0, Optional.empty())),
            Optional.of("alice")),
        Arguments.of("a config value jo set is jo's",
            change(Change.Kind.CHANGED, new ZkPath.Config("web"), Optional.empty(),
                Optional.of(at(1, new ZnodeContent.Config(ConfigChange.set("LOG_LEVEL", "jo")))), false),
            Optional.of("jo")),
        Arguments.of("a rollout's progress is alice's, who started it",
            rolloutChange(rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, 0, Optional.empty()),
                rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, 1, Optional.empty())),
            Optional.of("alice")),
        Arguments.of("a rollout's end is alice's, who started it",
            rolloutChange(rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, 2, Optional.empty()),
                rollout(1, 2, RolloutState.COMPLETE, RolloutReason.ALL_COPIES_UPDATED, 3, Optional.empty())),
            Optional.of("alice")),
        Arguments.of("a failed rollout's revert is alice's, who started what failed",
            rolloutChange(rollout(1, 2, RolloutState.PROGRESSING, RolloutReason.NEW_REVISION, 1, Optional.empty()),
                rollout(2, 1, RolloutState.PROGRESSING, RolloutReason.NEW_COPIES_CRASH_LOOP, 0, Optional.of(2))),
            Optional.of("alice")));
  }

  /** An assignment of web with {@code restarts} in place, the {@code served}th requested one, asked for by whom. */
  private static ZnodeContent.Assignment assignment(int restarts, long served, String restartBy, String stopBy) {
    return new ZnodeContent.Assignment("web", restarts, Optional.empty(), served, Optional.ofNullable(restartBy),
        Optional.ofNullable(stopBy));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("principals")
  void anEventNamesWhoCausedIt(String behaviour, Change change, Optional<String> by) {
    assertThat(EventTranslator.translate(change)).hasValueSatisfying(e -> assertThat(e.by()).isEqualTo(by));
  }

  @ParameterizedTest(name = "leader {0} -> {1}")
  @MethodSource("leaders")
  void aLeaderChangeIsReportedOnlyWhenTheLeaderDiffers(Optional<String> before, Optional<String> after,
      Optional<String> message) {
    assertThat(EventTranslator.leaderChanged(7, NOW, before, after).map(Event::message)).isEqualTo(message);
  }

  static Stream<Arguments> leaders() {
    return Stream.of(
        Arguments.of(Optional.of("s1"), Optional.of("s1"), Optional.empty()),
        Arguments.of(Optional.of("s1"), Optional.of("s2"),
            Optional.of("s2 leads (was s1)")),
        Arguments.of(Optional.empty(), Optional.of("s2"), Optional.of("s2 leads")),
        Arguments.of(Optional.of("s1"), Optional.empty(),
            Optional.of("no server leads (was s1)")));
  }
}
