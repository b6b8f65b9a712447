package io.shepherd.server.controller;

import io.shepherd.api.CrashLoopPolicy;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.InstanceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides what one replica set needs: a pure function of a {@link ReplicaSetSnapshot} and the time. No I/O, no
 * clock, no randomness: every decision can be tested with hand-built inputs.
 *
 * <p>Each assignment is one of:
 * <ul>
 *   <li><b>live</b>: its instance znode exists (the copy runs and its agent's session is alive);
 *   <li><b>pending</b>: ASSIGNED, on a live node (or one gone a moment ago: an agent back under a new session
 *       replaces its node), younger than the launch timeout: counts toward the target so a copy on its way is never
 *       started twice, even by a new leader. Also BACKOFF (its agent restarts it in place at its
 *       {@code nextStartAt}) until the launch timeout after that time;
 *   <li><b>dead</b>: EXITED, or RUNNING without its instance (the copy or its host died), or ASSIGNED too long or
 *       on a node that is gone, or one a user asked to stop ({@code stopRequestedBy}). Dead assignments are deleted;
 *       a dead copy that lived less than the minimum uptime counts as a crash, unless its agent or a user ended it.
 * </ul>
 * An instance without an assignment is being stopped and counts for nothing.
 */
public final class Reconciler {
  private final Duration launchTimeout;
  private final InstanceIds ids;

  /** A reconciler whose new copies get random ids. */
  public Reconciler(Duration launchTimeout) {
    this(launchTimeout, InstanceIds.random());
  }

  /** A reconciler whose new copies get their ids from {@code ids}: its decisions are a function of them. */
  public Reconciler(Duration launchTimeout, InstanceIds ids) {
    this.launchTimeout = launchTimeout;
    this.ids = ids;
  }

  public Plan reconcile(ReplicaSetSnapshot s, Instant now) {
    Map<String, InstanceRecord> instances =
        s.instances().stream().collect(Collectors.toMap(InstanceRecord::id, Function.identity(), (a, b) -> a));
    CrashLoopPolicy policy = s.spec().map(v -> v.value().spec().crashLoop()).orElse(CrashLoopPolicy.DEFAULT);

    Set<String> awaitedNodes = new HashSet<>(s.nodes().keySet());
    awaitedNodes.addAll(s.recentlyGoneNodes());
    Phases phases = classify(s.assignments(), instances, awaitedNodes, now);
    List<Live> live = phases.live();
    List<AssignmentRecord> pending = phases.pending();
    List<AssignmentRecord> dead = phases.dead();
    int crashes = (int) dead.stream().filter(a -> crashed(a, now, policy)).count();

    int desired = s.spec().map(v -> v.value().desired()).orElse(0);
    boolean specActive = s.spec().map(v -> !v.value().deleting()).orElse(false);
    CrashLoopState before = s.crashLoop();
    CrashLoopState after = specActive ? nextCrashLoopState(before, crashes, live, desired, policy, now) : before;
    List<Duration> wakeUps = new ArrayList<>();

    List<Plan.Start> starts = List.of();
    List<AssignmentRecord> stop = List.of();
    Optional<Plan.Unschedulable> unschedulable = Optional.empty();
    int active = live.size() + pending.size();
    Optional<RolloutStep.Decision> step = specActive && s.spec().get().value().revision() > 0
        ? Optional.of(RolloutStep.decide(rolloutInput(s, live, pending, dead, after, now)))
        : Optional.empty();
    int toStart = step.map(RolloutStep.Decision::startNew).orElse(Math.max(0, desired - active));
    if (step.isPresent()) {
      stop = step.get().stop();
      step.get().wakeUp().ifPresent(wakeUps::add);
    } else if (active > desired) {
      List<RolloutStep.Member> members = new ArrayList<>();
      live.forEach(l -> members.add(new RolloutStep.Member(l.assignment(), true, l.instance().ready(),
          l.instance().ready(), l.instance().startedAt())));
      pending.forEach(a -> members.add(new RolloutStep.Member(a, false, false, false, a.createdAt())));
      stop = RolloutStep.leastUseful(members, active - desired);
    }
    if (toStart > 0) {
      if (s.spawnsHeld()) {
        unschedulable = Optional.of(new Plan.Unschedulable(toStart, "held by the mass-loss breaker"));
      } else if (after.holdsSpawnsAt(now)) {
        wakeUps.add(Duration.between(now, after.nextSpawnAt().orElseThrow()));
      } else {
        Scheduler.Placement placement = place(s, toStart, live, pending, dead);
        starts = withIdsAndPorts(s, placement.nodeIds());
        int missing = toStart - starts.size();
        if (missing > 0) {
          unschedulable = Optional.of(new Plan.Unschedulable(missing, placement.shortfallReason().orElse("")));
        }
      }
    }

    List<AssignmentRecord> stopped = stop;
    pending.stream()
        .filter(a -> !stopped.contains(a))
        .map(a -> Duration.between(now, pendingUntil(a)))
        .min(Comparator.naturalOrder())
        .ifPresent(wakeUps::add);
    if (after.consecutiveFailures() > 0) {
      // The count can reset once the youngest copy has stayed up long enough.
      live.stream()
          .map(l -> Duration.between(now, l.instance.startedAt().plusMillis(policy.resetAfterMs())))
          .filter(d -> !d.isNegative())
          .max(Comparator.naturalOrder())
          .ifPresent(wakeUps::add);
    }

    boolean remove = s.spec().map(v -> v.value().deleting()).orElse(false)
        && s.assignments().isEmpty() && s.instances().isEmpty();
    return new Plan(
        s.name(),
        s.spec().map(v -> v.version()).orElse(-1),
        starts,
        stop,
        dead,
        after.equals(before) ? Optional.empty() : Optional.of(after),
        remove,
        unschedulable,
        wakeUps.stream().min(Comparator.naturalOrder()).map(d -> d.plusMillis(1)),
        step.flatMap(RolloutStep.Decision::rollout),
        step.flatMap(RolloutStep.Decision::revert),
        step.flatMap(RolloutStep.Decision::restored));
  }

  /** What the rolling-update step needs, from the snapshot and this reconcile's classification. */
  private RolloutStep.Input rolloutInput(ReplicaSetSnapshot s, List<Live> live, List<AssignmentRecord> pending,
      List<AssignmentRecord> dead, CrashLoopState after, Instant now) {
    var stored = s.spec().orElseThrow().value();
    int target = stored.revision();
    long minReadyMs = stored.spec().rollout().minReadyMs();
    CrashLoopPolicy policy = stored.spec().crashLoop();
    List<RolloutStep.Member> members = new ArrayList<>();
    List<Instant> notYetAvailable = new ArrayList<>();
    for (Live l : live) {
      boolean ready = l.instance().ready();
      boolean available = ready;
      if (ready && l.assignment().revision() == target && minReadyMs > 0) {
        Instant since = s.readySince().getOrDefault(l.instance().id(), now);
        available = !now.isBefore(since.plusMillis(minReadyMs));
        if (!available) {
          notYetAvailable.add(since.plusMillis(minReadyMs));
        }
      }
      members.add(new RolloutStep.Member(l.assignment(), true, ready, available, l.instance().startedAt()));
    }
    pending.forEach(a -> members.add(new RolloutStep.Member(a, false, false, false, a.createdAt())));
    // New-revision copies crash-loop where the set's crash-loop policy starts to hold restarts back: at a copy's
    // second crash in a row (its agent backs off in place), or at the set's second consecutive failure.
    boolean crashLoop = s.assignments().stream()
        .filter(a -> a.revision() == target)
        .anyMatch(a -> a.restartWindow().map(w -> policy.crashLoops(w.crashes())).orElse(false))
        || (policy.crashLoops(after.consecutiveFailures())
            && dead.stream().anyMatch(a -> a.revision() == target && crashed(a, now, policy)));
    return new RolloutStep.Input(stored, s.rollout().map(v -> v.value()), members, crashLoop, s.revisions(),
        notYetAvailable.stream().min(Comparator.naturalOrder()), now);
  }

  /**
   * A copy crashed when it ended (or could not start) before its minimum uptime, on its own: an end its agent chose
   * (a stop after a session change, a refusal, a restart of the agent) or a user asked for is not the copy's failure.
   * A copy its agent
   * stopped because its liveness or startup probe failed crashed whatever its uptime.
   */
  private static boolean crashed(AssignmentRecord a, Instant now, CrashLoopPolicy policy) {
    if (a.endedByAgent() || a.stopRequestedBy().isPresent()) {
      return false;
    }
    if (a.failedProbe()) {
      return true;
    }
    return switch (a.state()) {
      case ASSIGNED, BACKOFF -> false;
      case RUNNING -> a.startedAt().map(t -> now.toEpochMilli() - t.toEpochMilli() < policy.minUptimeMs()).orElse(false);
      case EXITED -> a.startedAt()
          .map(t -> a.exitedAt().orElse(now).toEpochMilli() - t.toEpochMilli() < policy.minUptimeMs())
          .orElse(true);
    };
  }

  private static CrashLoopState nextCrashLoopState(
      CrashLoopState before, int crashes, List<Live> live, int desired, CrashLoopPolicy policy, Instant now) {
    if (crashes > 0) {
      int failures = before.consecutiveFailures() + crashes;
      long backoff = policy.backoffMs(failures);
      return new CrashLoopState(failures, backoff > 0 ? Optional.of(now.plusMillis(backoff)) : Optional.empty());
    }
    // Stable means the replacements have stayed up: the set is whole and even its youngest copy is old enough.
    // Any one old copy is not enough: beside long-lived copies the count would reset between two crashes of
    // the same bad copy (or during its backoff) and the backoff would never grow.
    boolean stable = live.size() >= desired && live.stream()
        .allMatch(l -> now.toEpochMilli() - l.instance.startedAt().toEpochMilli() >= policy.resetAfterMs());
    // A state without failures is HEALTHY already: a stable set simply is healthy.
    return stable ? CrashLoopState.HEALTHY : before;
  }

  private static Scheduler.Placement place(
      ReplicaSetSnapshot s, int copies, List<Live> live, List<AssignmentRecord> pending, List<AssignmentRecord> dead) {
    List<String> occupied = new ArrayList<>();
    live.forEach(l -> occupied.add(l.assignment.nodeId()));
    pending.forEach(a -> occupied.add(a.nodeId()));
    // Dead assignments are deleted in the same transaction, so the space they hold is free for the new copies.
    Map<String, Integer> freed = Scheduler.countByNode(dead.stream().map(AssignmentRecord::nodeId).toList());
    List<NodeLoad> nodes = new ArrayList<>();
    for (NodeLoad n : s.nodes().values()) {
      nodes.add(n.with(Math.max(0, n.used() - freed.getOrDefault(n.id(), 0)), Set.of()));
    }
    Map<String, String> selector = s.spec().map(v -> v.value().spec().nodeSelector()).orElse(Map.of());
    // A copy its agent gave back (it exited on its own, after its restarts in place) goes elsewhere if it can.
    Set<String> givenBack = dead.stream()
        .filter(a -> a.state() == AssignmentState.EXITED && !a.endedByAgent())
        .map(AssignmentRecord::nodeId)
        .collect(Collectors.toSet());
    return Scheduler.place(copies, selector, portNames(s).size(), nodes, Scheduler.countByNode(occupied), givenBack);
  }

  private static List<String> portNames(ReplicaSetSnapshot s) {
    return s.spec().map(v -> v.value().spec().portNames()).orElse(List.of());
  }

  /**
   * Names each placed copy and picks its ports on its node: never a port another assignment on that node holds (of
   * any replica set, live, pending or dead: a dead copy's port may still be held by what made it fail), nor one picked
   * for an earlier copy of this plan. The scheduler placed copies only where enough ports are free.
   */
  private List<Plan.Start> withIdsAndPorts(ReplicaSetSnapshot s, List<String> nodeIds) {
    List<String> names = portNames(s);
    Map<String, Set<Integer>> held = new HashMap<>();
    List<Plan.Start> starts = new ArrayList<>(nodeIds.size());
    for (String nodeId : nodeIds) {
      String id = ids.next(s.name());
      if (names.isEmpty()) {
        starts.add(new Plan.Start(nodeId, id, Map.of()));
        continue;
      }
      NodeLoad node = s.nodes().get(nodeId);
      Set<Integer> used = held.computeIfAbsent(nodeId, n -> new HashSet<>(node.usedPorts()));
      Optional<Map<String, Integer>> ports =
          node.ports().flatMap(range -> PortPicker.pick(id, names, range, used));
      if (ports.isEmpty()) {
        continue; // Not reached: the scheduler counted the free ports. Left unscheduled, looked at again.
      }
      used.addAll(ports.get().values());
      starts.add(new Plan.Start(nodeId, id, ports.get()));
    }
    return starts;
  }

  /** A live copy: its assignment and its registered instance. */
  public record Live(AssignmentRecord assignment, InstanceRecord instance) {}

  /** A replica set's assignments by phase. */
  public record Phases(List<Live> live, List<AssignmentRecord> pending, List<AssignmentRecord> dead) {}

  /**
   * Sorts assignments into live, pending and dead: the one classification the controller and the API share. The
   * agent registers a copy (creates its instance, sets RUNNING) in one transaction, and records its exit (deletes
   * the instance, sets EXITED or BACKOFF) in one, and the view applies whole transactions: a RUNNING assignment
   * without its instance is a copy that died with its session.
   */
  public Phases classify(List<AssignmentRecord> assignments, Map<String, InstanceRecord> instancesById,
      Set<String> liveNodes, Instant now) {
    List<Live> live = new ArrayList<>();
    List<AssignmentRecord> pending = new ArrayList<>();
    List<AssignmentRecord> dead = new ArrayList<>();
    for (AssignmentRecord a : assignments) {
      InstanceRecord instance = instancesById.get(a.instanceId());
      if (a.stopRequestedBy().isPresent()) {
        dead.add(a); // a user asked for it to be stopped: deleted, so its agent stops it, and replaced
      } else if (instance != null && a.state() != AssignmentState.EXITED) {
        live.add(new Live(a, instance));
      } else if (a.state() != AssignmentState.EXITED && liveNodes.contains(a.nodeId())
          && now.isBefore(pendingUntil(a))) {
        pending.add(a);
      } else {
        dead.add(a);
      }
    }
    return new Phases(live, pending, dead);
  }

  /** Until when a copy without its instance is waited for: its launch, or its restart in place. */
  private Instant pendingUntil(AssignmentRecord a) {
    return switch (a.state()) {
      case ASSIGNED -> a.createdAt().plus(launchTimeout);
      case RUNNING -> Instant.MIN;
      // Its agent restarts it in place at nextStartAt; only then does the launch timeout start to count.
      case BACKOFF -> a.nextStartAt().orElse(a.createdAt()).plus(launchTimeout);
      case EXITED -> Instant.MIN;
    };
  }
}
