package io.shepherd.server.events;

import io.shepherd.api.Event;
import io.shepherd.api.EventType;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one watch notification reports, if anything: a pure function of the {@link Change} (and, for the leader,
 * of the leader before and after it), so that every server that saw the same change reports the same event.
 *
 * <table>
 *   <caption>notifications and the events they give</caption>
 *   <tr><th>znode</th><th>created</th><th>data changed</th><th>deleted</th></tr>
 *   <tr><td>instance</td><td>INSTANCE_UP</td><td>INSTANCE_READY or INSTANCE_UNREADY when its ready flag
 *       flips</td><td>INSTANCE_DOWN</td></tr>
 *   <tr><td>assignment</td><td>ASSIGNED</td><td>INSTANCE_RESTARTED when its restart count
 *       rises</td><td>STOPPED: its agent stops the copy, or (when its agent had recorded the copy's end) the
 *       ended copy is cleaned up</td></tr>
 *   <tr><td>node</td><td>NODE_UP</td><td>GATEWAY_PORTS when the exposed ports its gateway does not listen on (or
 *       why) change</td><td>NODE_DOWN</td></tr>
 *   <tr><td>replica set</td><td>SPEC_CHANGED</td><td>SCALED when only the count changed, REPLICA_SET_DELETED when
 *       the deleting flag is set, ROLLOUT_PAUSED for a pause, ROLLOUT_PROGRESS for a resume or a promote, else
 *       SPEC_CHANGED</td><td>REPLICA_SET_DELETED</td></tr>
 *   <tr><td>status</td><td colspan="2">CRASH_LOOP when the consecutive failures rise</td><td>-</td></tr>
 *   <tr><td>breaker</td><td colspan="2">BREAKER when it opens or closes</td><td>-</td></tr>
 *   <tr><td>a set's config (the parent of its values)</td><td colspan="2">CONFIG_CHANGED for the change its data
 *       records: a key set or deleted, never the value</td><td>-</td></tr>
 *   <tr><td>rollout</td><td colspan="2">(nothing for a new replica set's first revision) ROLLOUT_STARTED for a new
 *       target revision, ROLLOUT_FAILED when it fails (and
 *       its revert starts), ROLLOUT_PAUSED, ROLLOUT_COMPLETE, ROLLOUT_REVERTED as its state becomes so, else
 *       ROLLOUT_PROGRESS when its counts change; nothing when it pauses or goes on because a user asked (the spec
 *       change reported that, naming who)</td><td>-</td></tr>
 * </table>
 *
 * <p>Events a request caused carry {@code by}, the principal the API stored with the data it wrote: a spec's events
 * and a breaker closed (the principal stored with the spec or the breaker), STOPPED for a copy a user stopped and
 * INSTANCE_RESTARTED for a restart a user asked for (stored with the assignment), every event of a rollout's znode
 * (the rollout's {@code startedBy}, the principal of the spec change that started it, which its progress, end,
 * failure and revert follow from), a pause, resume or promote (the spec's: who asked), CONFIG_CHANGED (stored with the
 * set's config). Every rollout event's message names the revisions (from -> to) and who started the rollout.
 */
final class EventTranslator {
  private EventTranslator() {}

  static Optional<Event> translate(Change c) {
    ZkPath path = c.path();
    if (path instanceof ZkPath.Instance p) {
      return instance(c, p);
    } else if (path instanceof ZkPath.Assignment p) {
      return assignment(c, p);
    } else if (path instanceof ZkPath.Node p) {
      return node(c, p);
    } else if (path instanceof ZkPath.ReplicaSet p) {
      return replicaSet(c, p.name());
    } else if (path instanceof ZkPath.Status p) {
      return status(c, p.replicaSet());
    } else if (path instanceof ZkPath.Breaker) {
      return breaker(c);
    } else if (path instanceof ZkPath.Rollout p) {
      return rollout(c, p.replicaSet());
    } else if (path instanceof ZkPath.Config p) {
      return config(c, p.replicaSet());
    }
    return Optional.empty();
  }

  private static Optional<Event> rollout(Change c, String name) {
    Optional<Rollout> after = c.after(ZnodeContent.RolloutContent.class).map(ZnodeContent.RolloutContent::rollout);
    if (c.kind() == Change.Kind.DELETED || after.isEmpty()) {
      return Optional.empty();
    }
    Rollout r = after.get();
    if (r.fromRevision() == 0 && r.revertedFrom().isEmpty()) {
      return Optional.empty(); // a new replica set's first copies: SPEC_CHANGED and the copies' events tell it
    }
    Optional<Rollout> before = c.superseded() ? Optional.empty()
        : c.before(ZnodeContent.RolloutContent.class).map(ZnodeContent.RolloutContent::rollout);
    boolean sameRollout = before.map(b -> b.toRevision() == r.toRevision()
        && b.revertedFrom().equals(r.revertedFrom())).orElse(false);
    String revisions = name + " revision " + r.fromRevision() + " -> " + r.toRevision() + " (by " + r.startedBy()
        + ")";
    String counts = r.updated() + " updated, " + r.ready() + " ready, " + r.available() + " available of "
        + r.desired() + ", " + r.old() + " old";
    if (sameRollout && byRequest(before.get(), r)) {
      return Optional.empty(); // the spec change that asked for it was reported, naming who asked
    }
    EventType type;
    String what;
    if (!sameRollout && r.state() == RolloutState.PROGRESSING && r.revertedFrom().isPresent()) {
      type = EventType.ROLLOUT_FAILED;
      what = "rollout failed (" + r.reason() + "): " + r.message();
    } else if (!sameRollout && r.state() == RolloutState.PROGRESSING) {
      type = EventType.ROLLOUT_STARTED;
      what = "rollout started (" + r.reason() + ")";
    } else if (sameRollout && before.get().state() == r.state()) {
      if (before.get().counted(r.desired(), r.updated(), r.ready(), r.available(), r.old()).equals(before.get())) {
        return Optional.empty();
      }
      type = EventType.ROLLOUT_PROGRESS;
      what = counts;
    } else {
      switch (r.state()) {
        case PAUSED -> type = EventType.ROLLOUT_PAUSED;
        case COMPLETE -> type = EventType.ROLLOUT_COMPLETE;
        case FAILED -> type = EventType.ROLLOUT_FAILED;
        case REVERTED -> type = EventType.ROLLOUT_REVERTED;
        default -> type = EventType.ROLLOUT_PROGRESS;
      }
      what = r.state() + " (" + r.reason() + ")" + (r.message().isEmpty() ? "" : ": " + r.message());
    }
    // A rollout starts because someone changed the spec (a new template, a rolling restart, an undo). Every event of
    // the rollout names them, so that its progress, end, failure and revert can be followed back to that change; the
    // revert the leader makes keeps the failed rollout's starter.
    return event(c, type, Optional.of(name), Optional.empty(), Optional.empty(), revisions + ": " + what
        + (type == EventType.ROLLOUT_PROGRESS ? "" : "; " + counts), Optional.of(r.startedBy()));
  }

  /**
   * Whether the leader changed a rollout's state because a user asked it to through the spec: paused it (a pause),
   * or let a paused one go on (a resume, or a promote past its canary).
   */
  private static boolean byRequest(Rollout before, Rollout after) {
    boolean paused = after.state() == RolloutState.PAUSED && after.reason() == RolloutReason.PAUSED_BY_USER
        && before.state() != RolloutState.PAUSED;
    boolean goesOn = before.state() == RolloutState.PAUSED && after.state() == RolloutState.PROGRESSING;
    return paused || goesOn;
  }

  private static Optional<Event> breaker(Change c) {
    Optional<BreakerState> after = c.after(ZnodeContent.Breaker.class).map(ZnodeContent.Breaker::state);
    boolean wasOpen = c.before(ZnodeContent.Breaker.class).map(b -> b.state().open()).orElse(false);
    if (c.kind() == Change.Kind.DELETED || after.isEmpty() || (after.get().open() == wasOpen && !c.superseded())) {
      return Optional.empty();
    }
    String what = after.get().open() ? "mass-loss breaker open: " : "mass-loss breaker closed: ";
    return event(c, EventType.BREAKER, Optional.empty(), Optional.empty(), Optional.empty(),
        what + after.get().reason(), after.get().by());
  }

  /** LEADER_CHANGED when the leading server differs after a latch participant came or went. */
  static Optional<Event> leaderChanged(long id, Instant time, Optional<String> before, Optional<String> after) {
    if (before.equals(after)) {
      return Optional.empty();
    }
    String message = after.map(a -> a + " leads").orElse("no server leads")
        + before.map(b -> " (was " + b + ")").orElse("");
    return Optional.of(new Event(id, EventType.LEADER_CHANGED, time, null, null, null, message));
  }

  private static Optional<Event> instance(Change c, ZkPath.Instance p) {
    String copy = "copy " + p.instanceId() + " of " + p.replicaSet();
    if (c.kind() == Change.Kind.CREATED) {
      Optional<ZnodeContent.Instance> after = c.after(ZnodeContent.Instance.class);
      Optional<String> node = after.map(ZnodeContent.Instance::node);
      String pid = after.filter(i -> i.pid() > 0).map(i -> " (pid " + i.pid() + ")").orElse("");
      return event(c, EventType.INSTANCE_UP, Optional.of(p.replicaSet()), Optional.of(p.instanceId()), node,
          copy + " is up" + node.map(n -> " on " + n).orElse("") + pid);
    }
    if (c.kind() == Change.Kind.DELETED) {
      Optional<String> node = c.before(ZnodeContent.Instance.class).map(ZnodeContent.Instance::node);
      return event(c, EventType.INSTANCE_DOWN, Optional.of(p.replicaSet()), Optional.of(p.instanceId()), node,
          copy + " is down" + node.map(n -> " on " + n).orElse(""));
    }
    Optional<ZnodeContent.Instance> before = c.before(ZnodeContent.Instance.class);
    Optional<ZnodeContent.Instance> after = c.after(ZnodeContent.Instance.class);
    // A ready instance changed and then gone before its data could be read: its agent marked it unready as it began
    // to stop it (the only change that comes right before a deletion), and gone it is not ready either way.
    boolean ready = after.map(ZnodeContent.Instance::ready).orElse(false);
    if (before.isEmpty() || before.get().ready() == ready) {
      return Optional.empty();
    }
    String node = after.orElse(before.get()).node();
    return event(c, ready ? EventType.INSTANCE_READY : EventType.INSTANCE_UNREADY, Optional.of(p.replicaSet()),
        Optional.of(p.instanceId()), Optional.of(node),
        copy + (ready ? " is ready" : " is not ready") + " on " + node);
  }

  private static Optional<Event> assignment(Change c, ZkPath.Assignment p) {
    if (c.kind() == Change.Kind.CREATED) {
      Optional<String> set = c.after(ZnodeContent.Assignment.class).map(ZnodeContent.Assignment::replicaSet);
      return event(c, EventType.ASSIGNED, set, Optional.of(p.instanceId()), Optional.of(p.nodeId()),
          "copy " + p.instanceId() + set.map(s -> " of " + s).orElse("") + " assigned to " + p.nodeId());
    }
    if (c.kind() == Change.Kind.DELETED) {
      Optional<ZnodeContent.Assignment> before = c.before(ZnodeContent.Assignment.class);
      Optional<String> set = before.map(ZnodeContent.Assignment::replicaSet);
      // Who asked for the stop, when a user did: the API wrote it into the assignment, which the leader then deleted.
      Optional<String> by = before.flatMap(ZnodeContent.Assignment::stopRequestedBy);
      // A copy its agent recorded as ended is not stopped by the deletion: the leader cleans up after it.
      Optional<ZnodeContent.Ended> ended = before.flatMap(ZnodeContent.Assignment::ended).filter(e -> by.isEmpty());
      String why = ended.map(e -> ": its copy had ended" + ended(e))
          .orElse(": its agent stops it" + by.map(b -> " (stop asked by " + b + ")").orElse(""));
      return event(c, EventType.STOPPED, set, Optional.of(p.instanceId()), Optional.of(p.nodeId()),
          "copy " + p.instanceId() + set.map(s -> " of " + s).orElse("") + " unassigned from " + p.nodeId() + why,
          by);
    }
    Optional<ZnodeContent.Assignment> after = c.after(ZnodeContent.Assignment.class);
    Optional<ZnodeContent.Assignment> before = c.before(ZnodeContent.Assignment.class);
    if (after.isPresent() && before.isPresent() && after.get().restarts() > before.get().restarts()) {
      ZnodeContent.Assignment a = after.get();
      String exit = a.lastExitCode().map(code -> code < 0 ? "signal " + (-code) : "exit " + code)
          .map(e -> " after " + e).orElse("");
      // A restart a user asked for (the agent served a newer request with it) names who asked.
      Optional<String> by = a.restartServed() > before.get().restartServed() ? a.restartRequestedBy() : Optional.empty();
      return event(c, EventType.INSTANCE_RESTARTED, Optional.of(a.replicaSet()), Optional.of(p.instanceId()),
          Optional.of(p.nodeId()), "copy " + p.instanceId() + " of " + a.replicaSet() + " restarted in place on "
              + p.nodeId() + by.map(b -> " as " + b + " asked").orElse(exit) + " (restart " + a.restarts() + ")", by);
    }
    return Optional.empty(); // the agent recording its copy's progress
  }

  /** How a copy ended, for a message: " (exit 3)", " (signal 9)", " (refused: ...)" or nothing. */
  private static String ended(ZnodeContent.Ended e) {
    Optional<String> how = e.exitCode().map(code -> code < 0 ? "signal " + (-code) : "exit " + code)
        .or(e::reason);
    return how.map(h -> " (" + h + ")").orElse("");
  }

  private static Optional<Event> node(Change c, ZkPath.Node p) {
    if (c.kind() == Change.Kind.CREATED) {
      String detail = c.after(ZnodeContent.Node.class)
          .map(n -> " (host " + n.host() + ", capacity " + n.capacity() + ")").orElse("");
      return event(c, EventType.NODE_UP, Optional.empty(), Optional.empty(), Optional.of(p.nodeId()),
          "node " + p.nodeId() + " registered" + detail);
    }
    if (c.kind() == Change.Kind.DELETED) {
      return event(c, EventType.NODE_DOWN, Optional.empty(), Optional.empty(), Optional.of(p.nodeId()),
          "node " + p.nodeId() + " is gone: its copies are replaced elsewhere");
    }
    return gatewayPorts(c, p);
  }

  /**
   * GATEWAY_PORTS when a node's record changed which exposed ports its gateway does not listen on, or why: each
   * newly refused port with its set and reason, each served again. Nothing when the record before is unknown.
   */
  private static Optional<Event> gatewayPorts(Change c, ZkPath.Node p) {
    Optional<ZnodeContent.Node> before = c.before(ZnodeContent.Node.class);
    Optional<ZnodeContent.Node> after = c.after(ZnodeContent.Node.class);
    if (before.isEmpty() || after.isEmpty()) {
      return Optional.empty();
    }
    Map<Integer, RefusedPort> was = byPort(before.get().refusedPorts());
    Map<Integer, RefusedPort> now = byPort(after.get().refusedPorts());
    List<RefusedPort> refused = now.values().stream().filter(r -> !r.equals(was.get(r.port()))).toList();
    List<RefusedPort> served = was.values().stream().filter(r -> !now.containsKey(r.port())).toList();
    if (refused.isEmpty() && served.isEmpty()) {
      return Optional.empty();
    }
    List<String> what = new ArrayList<>();
    refused.forEach(r -> what.add("does not listen on port " + r.port() + " (" + r.replicaSet() + "): "
        + r.reason()));
    served.forEach(r -> what.add("no longer refuses port " + r.port() + " (" + r.replicaSet() + ")"));
    List<String> sets = Stream.concat(refused.stream(), served.stream())
        .map(RefusedPort::replicaSet).distinct().toList();
    return event(c, EventType.GATEWAY_PORTS, sets.size() == 1 ? Optional.of(sets.get(0)) : Optional.empty(),
        Optional.empty(), Optional.of(p.nodeId()), "node " + p.nodeId() + "'s gateway " + String.join("; ", what));
  }

  private static Map<Integer, RefusedPort> byPort(List<RefusedPort> refused) {
    return refused.stream().collect(Collectors.toMap(RefusedPort::port, Function.identity(), (a, b) -> b,
        TreeMap::new));
  }

  private static Optional<Event> replicaSet(Change c, String name) {
    Optional<String> set = Optional.of(name);
    Optional<StoredReplicaSet> after = c.after(ZnodeContent.Spec.class).map(ZnodeContent.Spec::stored);
    // Who wrote the data read: the request's principal, which the API stores with every spec it writes.
    Optional<String> by = after.flatMap(StoredReplicaSet::by);
    switch (c.kind()) {
      case CREATED:
        return event(c, EventType.SPEC_CHANGED, set, Optional.empty(), Optional.empty(), name + " created"
            + after.map(s -> ": " + s.spec().replicas() + " replicas of " + s.spec().command()).orElse(""), by);
      case DELETED:
        return event(c, EventType.REPLICA_SET_DELETED, set, Optional.empty(), Optional.empty(),
            name + " removed: none of its copies is left");
      default:
        break;
    }
    if (after.isEmpty() || after.get().deleting()) {
      // Gone before it could be read: only the leader removes a spec, and only once it is flagged deleting.
      boolean again = !c.superseded() && c.before(ZnodeContent.Spec.class).map(s -> s.stored().deleting())
          .orElse(false);
      return again ? Optional.empty() : event(c, EventType.REPLICA_SET_DELETED, set, Optional.empty(),
          Optional.empty(), name + " is being deleted: its copies are stopped", by);
    }
    Optional<StoredReplicaSet> before = c.superseded() ? Optional.empty()
        : c.before(ZnodeContent.Spec.class).map(ZnodeContent.Spec::stored);
    int to = after.get().spec().replicas();
    if (before.isEmpty()) {
      return event(c, EventType.SPEC_CHANGED, set, Optional.empty(), Optional.empty(),
          name + " spec replaced: " + to + " replicas" + (c.superseded() ? " (it changed again at once)" : ""), by);
    }
    if (before.get().spec().equals(after.get().spec()) && before.get().paused() != after.get().paused()) {
      // A pause or a resume: told here, where who asked is known; the rollout's own change that follows is not.
      return event(c, after.get().paused() ? EventType.ROLLOUT_PAUSED : EventType.ROLLOUT_PROGRESS, set,
          Optional.empty(), Optional.empty(), name + " rollout " + revisions(after.get())
              + (after.get().paused() ? " paused" : " resumed") + by.map(b -> " by " + b).orElse(""), by);
    }
    if (before.get().spec().equals(after.get().spec())
        && before.get().promotedRevision() != after.get().promotedRevision()) {
      return event(c, EventType.ROLLOUT_PROGRESS, set, Optional.empty(), Optional.empty(), name + " rollout "
          + revisions(after.get()) + ": revision " + after.get().promotedRevision() + " promoted past its canary"
          + by.map(b -> " by " + b).orElse(""), by);
    }
    int from = before.get().spec().replicas();
    if (from != to && before.get().spec().withReplicas(to).equals(after.get().spec())) {
      return event(c, EventType.SCALED, set, Optional.empty(), Optional.empty(),
          name + " scaled from " + from + " to " + to, by);
    }
    return event(c, EventType.SPEC_CHANGED, set, Optional.empty(), Optional.empty(),
        name + " spec replaced" + (from != to ? ", replicas from " + from + " to " + to : ""), by);
  }

  /**
   * The revisions of a set's rollout and who started it, as its spec tells them: "1 -> 2 (started by alice)", from
   * the revision that ran before (omitted when none is recorded).
   */
  private static String revisions(StoredReplicaSet s) {
    return (s.previousRevision() > 0 ? s.previousRevision() + " -> " + s.revision() : "to revision " + s.revision())
        + " (started by " + (s.changedBy() == null ? "anonymous" : s.changedBy()) + ")";
  }

  private static Optional<Event> config(Change c, String name) {
    Optional<ConfigChange> after = c.after(ZnodeContent.Config.class).map(ZnodeContent.Config::change);
    // Created empty, just before its first value (a read may already see that value's change, which has its own
    // notification); deleted by ZooKeeper once its last value is gone. Only a change of its data records a change.
    if (c.kind() != Change.Kind.CHANGED || after.isEmpty()) {
      return Optional.empty();
    }
    if (c.superseded()) {
      // What was read is a later change's, which has its own event: say less rather than name its key and caller.
      return event(c, EventType.CONFIG_CHANGED, Optional.of(name), Optional.empty(), Optional.empty(),
          name + " config changed (it changed again at once)");
    }
    ConfigChange change = after.get();
    // The key and who, never the value: configuration values may be secrets.
    return event(c, EventType.CONFIG_CHANGED, Optional.of(name), Optional.empty(), Optional.empty(),
        name + " config " + change.key() + (change.deleted() ? " deleted" : " set")
            + change.by().map(b -> " by " + b).orElse(""), change.by());
  }

  private static Optional<Event> status(Change c, String name) {
    Optional<CrashLoopState> after = c.after(ZnodeContent.Status.class).map(ZnodeContent.Status::crashLoop);
    if (c.kind() == Change.Kind.DELETED || after.isEmpty() || after.get().consecutiveFailures() == 0) {
      return Optional.empty();
    }
    int failures = after.get().consecutiveFailures();
    // The leader writes the status only when it changes, and any change but a reset is a rise.
    boolean rose = c.superseded() || c.before(ZnodeContent.Status.class)
        .map(b -> failures > b.crashLoop().consecutiveFailures()).orElse(true);
    if (!rose) {
      return Optional.empty();
    }
    String next = after.get().nextSpawnAt().map(t -> "next copy not before " + t).orElse("next copy at once");
    return event(c, EventType.CRASH_LOOP, Optional.of(name), Optional.empty(), Optional.empty(),
        name + " crash-loops: " + failures + " consecutive failure" + (failures == 1 ? "" : "s") + "; " + next);
  }

  private static Optional<Event> event(Change c, EventType type, Optional<String> replicaSet,
      Optional<String> instance, Optional<String> node, String message) {
    return event(c, type, replicaSet, instance, node, message, Optional.empty());
  }

  private static Optional<Event> event(Change c, EventType type, Optional<String> replicaSet,
      Optional<String> instance, Optional<String> node, String message, Optional<String> by) {
    return Optional.of(new Event(c.id(), type, c.time(), replicaSet, instance, node, message, by));
  }
}
