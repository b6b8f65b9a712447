package io.shepherd.server.controller;

import io.shepherd.server.ingest.Batch;
import io.shepherd.server.ingest.Notification;
import io.shepherd.server.ingest.Transaction;
import io.shepherd.server.ingest.ZnodeChange;
import io.shepherd.server.state.ClusterView;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkPath;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this server saw things happen that the view does not keep: nodes that went (for their re-registration grace),
 * instances that became ready (a rollout's minReadyMs counts from there), and copies lost and registered (for the
 * {@link ReplacementLedger}). Written on the ingest's thread, read by the reconcile loop and the API.
 */
final class IngestTimes {
  /**
   * How long a node that vanished still counts for its pending copies. An agent back under a new session replaces
   * its stale {@code /nodes} entry (delete, then create), so its node is missing for a moment; the copies just
   * assigned to it are the agent's to start, not dead ones to give up and assign again (the agent would have
   * started some already, to be killed as late copies). A host that is really gone loses them this much later.
   */
  static final Duration NODE_RETURN_GRACE = Duration.ofSeconds(2);

  private final ClusterView view;
  private final ZkLayout layout;
  private final Clock clock;
  private final Map<String, Instant> nodesGoneAt = new ConcurrentHashMap<>();
  private final Map<String, Instant> readySince = new ConcurrentHashMap<>();
  private final ReplacementLedger replacements;

  IngestTimes(ClusterView view, ZkLayout layout, Clock clock, ReplacementLedger replacements) {
    this.view = view;
    this.layout = layout;
    this.clock = clock;
    this.replacements = replacements;
  }

  /**
   * What a batch changed besides the view.
   *
   * @param nodesChanged   whether nodes came or went (the breaker counts them)
   * @param breakerChanged whether the stored breaker state may have changed
   * @param nodesGone      nodes that went during the batch (some may be back already)
   * @param replaced       the leader's replacements of dead copies that the batch shows registered
   */
  record Seen(boolean nodesChanged, boolean breakerChanged, Set<String> nodesGone,
      List<ReplacementLedger.Replaced> replaced) {}

  /**
   * Notes the times of a batch the view has just applied: nodes gone or back, instances ready or not. After a whole
   * tree is read, everything is looked at afresh against {@code nodesBefore}, the nodes the view had before.
   */
  Seen note(Batch batch, Set<String> nodesBefore) {
    Instant now = clock.instant();
    Set<String> gone = new HashSet<>();
    boolean nodesChanged = false;
    boolean breakerChanged = false;
    List<ReplacementLedger.Replaced> replaced = new ArrayList<>();
    if (batch.resynced()) {
      Set<String> nodesNow = view.nodes().keySet();
      nodesBefore.stream().filter(n -> !nodesNow.contains(n)).forEach(n -> {
        gone.add(n);
        nodesGoneAt.put(n, now);
      });
      nodesNow.forEach(nodesGoneAt::remove);
      Set<String> instanceIds = new HashSet<>();
      view.replicaSetNames().forEach(name -> view.instances(name).forEach(i -> {
        instanceIds.add(i.id());
        readiness(name, i.id());
      }));
      readySince.keySet().retainAll(instanceIds);
      Set<String> assigned = new HashSet<>();
      view.replicaSetNames().forEach(name -> view.assignments(name).forEach(a -> {
        assigned.add(a.instanceId());
        liveness(name, a.instanceId(), Optional.of(a), now).ifPresent(replaced::add);
      }));
      replacements.retain(assigned);
      nodesChanged = true;
      breakerChanged = true;
    }
    for (Transaction t : batch.transactions()) {
      for (ZnodeChange c : t.changes()) {
        ZkPath path = layout.parse(c.path());
        if (path instanceof ZkPath.Node node) {
          if (c.kind() == Notification.Kind.DELETED) {
            gone.add(node.nodeId());
            nodesGoneAt.put(node.nodeId(), now);
          } else {
            nodesGoneAt.remove(node.nodeId());
          }
          nodesChanged = true;
        } else if (path instanceof ZkPath.Instance i) {
          readiness(i.replicaSet(), i.instanceId());
          liveness(i.replicaSet(), i.instanceId(), view.observedAssignment(i.replicaSet(), i.instanceId()), now)
              .ifPresent(replaced::add);
        } else if (path instanceof ZkPath.Assignment a && c.kind() == Notification.Kind.DELETED) {
          replacements.gone(a.instanceId());
        } else if (path instanceof ZkPath.Breaker) {
          breakerChanged = true;
        }
      }
    }
    return new Seen(nodesChanged, breakerChanged, gone, replaced);
  }

  /**
   * Tells the ledger whether the copy lives, as the view now shows it: registered, or lost (an assignment that was
   * started, without an instance). A copy with neither is being stopped or gone, which its assignment's deletion
   * says; one assigned and not yet started is neither.
   */
  private Optional<ReplacementLedger.Replaced> liveness(String replicaSet, String instanceId,
      Optional<AssignmentRecord> assignment, Instant now) {
    if (view.instance(replicaSet, instanceId).isPresent()) {
      return replacements.registered(instanceId, now);
    }
    if (assignment.filter(a -> a.state() != AssignmentState.ASSIGNED).isPresent()) {
      replacements.lost(instanceId, now);
    }
    return Optional.empty();
  }

  /** Remembers when an instance became ready, as the view now shows it (a new leader starts counting afresh). */
  private void readiness(String replicaSet, String instanceId) {
    if (view.instance(replicaSet, instanceId).map(InstanceRecord::ready).orElse(false)) {
      readySince.putIfAbsent(instanceId, clock.instant());
    } else {
      readySince.remove(instanceId);
    }
  }

  /** Nodes gone for less than {@link #NODE_RETURN_GRACE} at {@code now}. */
  Set<String> recentlyGoneNodes(Instant now) {
    nodesGoneAt.values().removeIf(goneAt -> !now.isBefore(goneAt.plus(NODE_RETURN_GRACE)));
    return Set.copyOf(nodesGoneAt.keySet());
  }

  /** When each ready instance was seen to become ready, by instance id (a live map). */
  Map<String, Instant> readySince() {
    return readySince;
  }
}
