package io.shepherd.server.api;

import io.shepherd.worker.record.NodeRecord;
import java.util.Optional;

/** Where a replica set's copies run, for forwarding requests about a copy to its node. */
public interface CopyLocator {
  /** The node of a copy: its instance's while it lives, its assignment's once it exited; empty if neither is known. */
  Optional<String> nodeOf(String replicaSet, String instanceId);

  /** Whether the replica set is known: declared, or still holding assignments. */
  boolean knows(String replicaSet);

  /** A registered node; empty when it is not registered (down or restarting). */
  Optional<NodeRecord> node(String nodeId);
}
