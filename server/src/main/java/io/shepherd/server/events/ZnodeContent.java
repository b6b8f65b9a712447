package io.shepherd.server.events;

import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ConfigChange;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RefusedPort;
import io.shepherd.worker.zk.ZkPath;
import io.shepherd.worker.zk.Znodes;
import java.util.List;
import java.util.Optional;

/**
 * What the event stream needs to know of a znode's data: only the fields events report or compare, so that
 * remembering every live znode stays cheap.
 */
sealed interface ZnodeContent {
  record Spec(StoredReplicaSet stored) implements ZnodeContent {}

  record Status(CrashLoopState crashLoop) implements ZnodeContent {}

  record Instance(String node, long pid, boolean ready) implements ZnodeContent {
    /** A ready instance (as one written before readiness existed reads). */
    Instance(String node, long pid) {
      this(node, pid, true);
    }
  }

  /**
   * An assignment: its set, its agent's restarts in place with the exit before the latest (empty: none), the latest
   * restart a user asked for that its agent carried out, who asked for that restart and for its stop, and how its
   * copy ended when its agent recorded that (empty while the copy is assigned or running).
   */
  record Assignment(String replicaSet, int restarts, Optional<Integer> lastExitCode, long restartServed,
      Optional<String> restartRequestedBy, Optional<String> stopRequestedBy, Optional<Ended> ended)
      implements ZnodeContent {
    Assignment(String replicaSet, int restarts, Optional<Integer> lastExitCode, long restartServed,
        Optional<String> restartRequestedBy, Optional<String> stopRequestedBy) {
      this(replicaSet, restarts, lastExitCode, restartServed, restartRequestedBy, stopRequestedBy, Optional.empty());
    }

    Assignment(String replicaSet, int restarts, Optional<Integer> lastExitCode) {
      this(replicaSet, restarts, lastExitCode, 0, Optional.empty(), Optional.empty());
    }

    Assignment(String replicaSet) {
      this(replicaSet, 0, Optional.empty());
    }

    static Assignment of(AssignmentRecord a) {
      Optional<Ended> ended = a.state() == AssignmentState.EXITED
          ? Optional.of(new Ended(a.exitCode(), a.reason())) : Optional.empty();
      return new Assignment(a.replicaSet(), a.restarts(), a.lastExit().map(io.shepherd.worker.record.LastExit::code),
          a.restartServed(), a.restartRequestedBy(), a.stopRequestedBy(), ended);
    }
  }

  /**
   * How a copy ended, as its agent recorded it in the assignment ({@code EXITED}).
   *
   * @param exitCode its exit code (negative: the signal that ended it); empty when it did not exit (refused, failed
   *                 to start)
   * @param reason   why, when not by exiting
   */
  record Ended(Optional<Integer> exitCode, Optional<String> reason) {}

  /** A node: where it is, and the exposed ports its gateway does not listen on, by port, and why. */
  record Node(String host, int capacity, List<RefusedPort> refusedPorts) implements ZnodeContent {
    Node(String host, int capacity) {
      this(host, capacity, List.of());
    }
  }

  record Participant(String serverId) implements ZnodeContent {}

  record Breaker(BreakerState state) implements ZnodeContent {}

  record RolloutContent(io.shepherd.api.Rollout rollout) implements ZnodeContent {}

  /** The last change of a set's configuration values (the data of {@code /config/{name}}). */
  record Config(ConfigChange change) implements ZnodeContent {}

  /**
   * The content of a znode's data, decoded with the znode's codec ({@link Znodes}, {@link ServerZnodes}); empty for
   * a kind the stream does not follow. Throws {@link io.shepherd.worker.zk.CorruptZnodeException} on corrupt data.
   */
  static Optional<ZnodeContent> decode(ZkPath path, byte[] data) {
    if (path instanceof ZkPath.ReplicaSet) {
      return Optional.of(new Spec(ServerZnodes.SPEC.decode(data)));
    } else if (path instanceof ZkPath.Status) {
      return Optional.of(new Status(ServerZnodes.CRASH_LOOP.decode(data)));
    } else if (path instanceof ZkPath.Instance) {
      InstanceRecord r = Znodes.INSTANCE.decode(data);
      return Optional.of(new Instance(r.node(), r.pid(), r.ready()));
    } else if (path instanceof ZkPath.Assignment) {
      return Optional.of(Assignment.of(Znodes.ASSIGNMENT.decode(data)));
    } else if (path instanceof ZkPath.Node) {
      NodeRecord r = Znodes.NODE.decode(data);
      return Optional.of(new Node(r.host(), r.capacity(), r.refusedPorts()));
    } else if (path instanceof ZkPath.LeaderParticipant) {
      return Optional.of(new Participant(Znodes.LEADER_PARTICIPANT.decode(data)));
    } else if (path instanceof ZkPath.Breaker) {
      return Optional.of(new Breaker(ServerZnodes.BREAKER.decode(data)));
    } else if (path instanceof ZkPath.Rollout) {
      return Optional.of(new RolloutContent(ServerZnodes.ROLLOUT.decode(data)));
    } else if (path instanceof ZkPath.Config) {
      // Empty as created (and as written before changes were recorded): no change to report.
      return data == null || data.length == 0 ? Optional.empty()
          : Optional.of(new Config(ServerZnodes.CONFIG_CHANGE.decode(data)));
    }
    return Optional.empty();
  }
}
