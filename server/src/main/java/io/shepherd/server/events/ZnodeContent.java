package io.shepherd.server.events;

import io.shepherd.server.state.BreakerState;
import io.shepherd.server.state.ConfigChange;
import io.shepherd.server.state.CrashLoopState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkPath;
import java.nio.charset.StandardCharsets;
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
   * restart a user asked for that its agent carried out, and who asked for that restart and for its stop.
   */
  record Assignment(String replicaSet, int restarts, Optional<Integer> lastExitCode, long restartServed,
      Optional<String> restartRequestedBy, Optional<String> stopRequestedBy) implements ZnodeContent {
    Assignment(String replicaSet, int restarts, Optional<Integer> lastExitCode) {
      this(replicaSet, restarts, lastExitCode, 0, Optional.empty(), Optional.empty());
    }

    Assignment(String replicaSet) {
      this(replicaSet, 0, Optional.empty());
    }

    static Assignment of(AssignmentRecord a) {
      return new Assignment(a.replicaSet(), a.restarts(), a.lastExit().map(io.shepherd.worker.record.LastExit::code),
          a.restartServed(), a.restartRequestedBy(), a.stopRequestedBy());
    }
  }

  record Node(String host, int capacity) implements ZnodeContent {}

  record Participant(String serverId) implements ZnodeContent {}

  record Breaker(BreakerState state) implements ZnodeContent {}

  record RolloutContent(io.shepherd.api.Rollout rollout) implements ZnodeContent {}

  /** The last change of a set's configuration values (the data of {@code /config/{name}}). */
  record Config(ConfigChange change) implements ZnodeContent {}

  /** Whether the stream reads this kind of znode's data when it is created or changed. */
  static boolean readsOnCreate(ZkPath path) {
    return path instanceof ZkPath.ReplicaSet || path instanceof ZkPath.Status || path instanceof ZkPath.Instance
        || path instanceof ZkPath.Assignment || path instanceof ZkPath.Node
        || path instanceof ZkPath.LeaderParticipant || path instanceof ZkPath.Breaker || path instanceof ZkPath.Rollout
        || path instanceof ZkPath.Config;
  }

  /** Whether a change of this kind of znode's data can be an event (spec edits, crash-loop counts, readiness, restarts). */
  static boolean readsOnChange(ZkPath path) {
    return path instanceof ZkPath.ReplicaSet || path instanceof ZkPath.Status || path instanceof ZkPath.Breaker
        || path instanceof ZkPath.Instance || path instanceof ZkPath.Assignment || path instanceof ZkPath.Rollout
        || path instanceof ZkPath.Config;
  }

  /** The content of a znode's data; empty for a kind the stream does not follow. Throws on corrupt data. */
  static Optional<ZnodeContent> decode(ZkPath path, byte[] data) {
    byte[] bytes = data == null ? new byte[0] : data;
    if (path instanceof ZkPath.ReplicaSet) {
      return Optional.of(new Spec(RecordCodec.read(bytes, StoredReplicaSet.class)));
    } else if (path instanceof ZkPath.Status) {
      return Optional.of(new Status(
          bytes.length == 0 ? CrashLoopState.HEALTHY : RecordCodec.read(bytes, CrashLoopState.class)));
    } else if (path instanceof ZkPath.Instance) {
      InstanceRecord r = RecordCodec.read(bytes, InstanceRecord.class);
      return Optional.of(new Instance(r.node(), r.pid(), r.ready()));
    } else if (path instanceof ZkPath.Assignment) {
      return Optional.of(Assignment.of(RecordCodec.read(bytes, AssignmentRecord.class)));
    } else if (path instanceof ZkPath.Node) {
      NodeRecord r = RecordCodec.read(bytes, NodeRecord.class);
      return Optional.of(new Node(r.host(), r.capacity()));
    } else if (path instanceof ZkPath.LeaderParticipant) {
      return Optional.of(new Participant(new String(bytes, StandardCharsets.UTF_8)));
    } else if (path instanceof ZkPath.Breaker) {
      return Optional.of(new Breaker(RecordCodec.read(bytes, BreakerState.class)));
    } else if (path instanceof ZkPath.Rollout) {
      return Optional.of(new RolloutContent(RecordCodec.read(bytes, io.shepherd.api.Rollout.class)));
    } else if (path instanceof ZkPath.Config) {
      // Empty as created (and as written before changes were recorded): no change to report.
      return bytes.length == 0 ? Optional.empty() : Optional.of(new Config(RecordCodec.read(bytes, ConfigChange.class)));
    }
    return Optional.empty();
  }
}
