package io.shepherd.server.api;

import io.shepherd.api.Instance;
import io.shepherd.api.LastExit;
import io.shepherd.api.LeaderInfo;
import io.shepherd.api.Node;
import io.shepherd.api.RefusedPort;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.server.controller.Controller;
import io.shepherd.server.controller.Reconciler;
import io.shepherd.server.controller.ReplicaSetDescription;
import io.shepherd.server.state.ClusterView;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API's representations, built from the cache (never from ZooKeeper per request). Counts use the reconciler's
 * own classification, so what the API reports as live and pending is what the controller acts on.
 */
public final class ReadModels implements ReplicaSetReads, ClusterInfo, CopyLocator, RolloutReads {
  private final Controller controller;
  private final ClusterView view;
  private final Clock clock;

  public ReadModels(Controller controller, Clock clock) {
    this.controller = controller;
    this.view = controller.view();
    this.clock = clock;
  }

  @Override
  public List<ReplicaSetSummary> summaries() {
    List<ReplicaSetSummary> out = new ArrayList<>();
    for (String name : view.specNames()) {
      view.spec(name).ifPresent(spec -> {
        Reconciler.Phases phases = phases(name);
        CrashLoopState crashLoop = view.crashLoop(name);
        out.add(ReplicaSetSummary.of(name, spec.version(), spec.value().desired(), phases.live().size(),
            phases.pending().size(), ready(phases), spec.value().deleting(), crashLoop.consecutiveFailures(),
            spec.value().revision(), view.rollout(name).map(Versioned::value)));
      });
    }
    return out;
  }

  @Override
  public Optional<ReplicaSetStatus> status(String name) {
    ReplicaSetDescription d = ReplicaSetDescription.of(controller, name, clock.instant());
    return d.snapshot().spec().map(spec -> status(name, spec, d));
  }

  /**
   * The status from one snapshot of the view: the counts, the instances and why copies are not running always
   * describe the same moment. {@code spec} is the one just read or written.
   */
  @Override
  public ReplicaSetStatus status(String name, Versioned<StoredReplicaSet> spec) {
    return status(name, spec, ReplicaSetDescription.of(controller, name, clock.instant()));
  }

  private static ReplicaSetStatus status(String name, Versioned<StoredReplicaSet> spec, ReplicaSetDescription d) {
    Reconciler.Phases phases = d.phases();
    CrashLoopState crashLoop = d.crashLoop();
    return new ReplicaSetStatus(name, spec.version(), spec.value().spec(), spec.value().desired(),
        phases.live().size(), phases.pending().size(), ready(phases), spec.value().deleting(),
        crashLoop.consecutiveFailures(), crashLoop.nextSpawnAt(), liveInstances(phases), d.whyNotRunning(),
        spec.value().revision(), d.snapshot().rollout().map(Versioned::value));
  }

  @Override
  public Optional<Rollout> rollout(String name) {
    if (view.spec(name).isEmpty()) {
      throw ApiException.notFound("replica set " + name);
    }
    return view.rollout(name).map(Versioned::value);
  }

  @Override
  public List<Revision> revisions(String name) {
    if (view.spec(name).isEmpty()) {
      throw ApiException.notFound("replica set " + name);
    }
    return List.copyOf(view.revisions(name).values());
  }

  /** The live copies of a replica set: registered and still assigned (service discovery: kept cheap). */
  @Override
  public Optional<List<Instance>> instances(String name) {
    return view.spec(name).map(spec -> liveInstances(phases(name)));
  }

  private static int ready(Reconciler.Phases phases) {
    return (int) phases.live().stream().filter(l -> l.instance().ready()).count();
  }

  private static List<Instance> liveInstances(Reconciler.Phases phases) {
    return phases.live().stream()
        .map(l -> instance(l.instance(), l.assignment()))
        .sorted(Comparator.comparing(Instance::startedAt).thenComparing(Instance::id))
        .toList();
  }

  @Override
  public List<Node> nodes() {
    return view.nodes().values().stream()
        .sorted(Comparator.comparing(NodeRecord::id))
        .map(n -> node(n, view.assignmentCount(n.id())))
        .toList();
  }

  /** A node as the API shows it, with {@code used} copies assigned to it. */
  public static Node node(NodeRecord n, int used) {
    return new Node(n.id(), n.host(), n.capacity(), used, n.labels(), n.logsUrl(), n.startedAt(),
        n.refusedPorts().stream().map(r -> new RefusedPort(r.port(), r.replicaSet(), r.reason())).toList());
  }

  @Override
  public LeaderInfo leader() {
    return new LeaderInfo(view.leaderId(), controller.serverId(), controller.isLeader(), view.epoch());
  }

  @Override
  public Optional<String> nodeOf(String replicaSet, String instanceId) {
    Optional<String> live = view.instances(replicaSet).stream()
        .filter(i -> i.id().equals(instanceId))
        .map(InstanceRecord::node)
        .findFirst();
    return live.or(() -> view.assignment(replicaSet, instanceId).map(AssignmentRecord::nodeId));
  }

  @Override
  public boolean knows(String replicaSet) {
    return view.spec(replicaSet).isPresent() || !view.assignments(replicaSet).isEmpty();
  }

  @Override
  public Optional<NodeRecord> node(String nodeId) {
    return Optional.ofNullable(view.nodes().get(nodeId));
  }

  private Reconciler.Phases phases(String name) {
    // Of one moment (whole transactions), as the controller reads.
    Map<String, InstanceRecord> byId = new HashMap<>();
    List<AssignmentRecord> assignments = view.consistently(() -> {
      view.instances(name).forEach(i -> byId.putIfAbsent(i.id(), i));
      return view.assignments(name);
    });
    Instant now = clock.instant();
    return controller.reconciler().classify(assignments, byId, controller.nodesAwaited(now), now);
  }

  static Instance instance(InstanceRecord r) {
    return new Instance(r.id(), r.replicaSet(), r.node(), r.host(), r.pid(), r.startedAt(), r.specVersion(),
        r.ports(), r.ready());
  }

  /** A live copy with what its assignment says of its restarts in place. */
  static Instance instance(InstanceRecord r, AssignmentRecord a) {
    return new Instance(r.id(), r.replicaSet(), r.node(), r.host(), r.pid(), r.startedAt(), r.specVersion(),
        r.ports(), r.ready(), a.restarts(), a.lastExit().map(e -> new LastExit(e.code(), e.at())).orElse(null),
        a.revision());
  }
}
