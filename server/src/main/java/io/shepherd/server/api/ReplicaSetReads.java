package io.shepherd.server.api;

import io.shepherd.api.Instance;
import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.ReplicaSetSummary;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.server.state.Versioned;
import java.util.List;
import java.util.Optional;

/** The replica sets as this server knows them, in the API's representations. */
public interface ReplicaSetReads {
  /** Every replica set, by name. */
  List<ReplicaSetSummary> summaries();

  /** A replica set's spec, counts and live copies; empty when it is unknown. */
  Optional<ReplicaSetStatus> status(String name);

  /** The status of a replica set with the spec just written (so that a write answers with what it wrote). */
  ReplicaSetStatus status(String name, Versioned<StoredReplicaSet> spec);

  /** A replica set's live copies; empty when it is unknown. */
  Optional<List<Instance>> instances(String name);
}
