package io.shepherd.worker.zk;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.ExposedRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;

/**
 * The codec of each kind of znode {@link ZkLayout} names whose value the worker module knows. The server adds the
 * kinds only it reads (specs, rollouts, revisions, the breaker, crash-loop state, tokens) beside its own records.
 */
public final class Znodes {
  /** {@code /epoch}: see {@link EpochCodec} for what it holds and what is refused. */
  public static final ZnodeCodec<Long> EPOCH = EpochCodec.codec();
  /** {@code /assignments/{nodeId}/{instanceId}}. */
  public static final ZnodeCodec<AssignmentRecord> ASSIGNMENT = ZnodeCodec.json("assignment", AssignmentRecord.class);
  /** {@code /replicasets/{name}/instances/{id}}. */
  public static final ZnodeCodec<InstanceRecord> INSTANCE = ZnodeCodec.json("instance", InstanceRecord.class);
  /** {@code /nodes/{nodeId}}. */
  public static final ZnodeCodec<NodeRecord> NODE = ZnodeCodec.json("node", NodeRecord.class);
  /** {@code /exposed/{port}}. */
  public static final ZnodeCodec<ExposedRecord> EXPOSED = ZnodeCodec.json("exposed port", ExposedRecord.class);
  /** {@code /config/{name}/{key}}: the value as UTF-8 text. */
  public static final ZnodeCodec<String> CONFIG_VALUE = ZnodeCodec.text("config value");
  /** {@code /copy-elections/{name}/{seq}}: the id of the copy that stands, as UTF-8 text. */
  public static final ZnodeCodec<String> COPY_ELECTION_ENTRY = ZnodeCodec.text("copy election entry");
  /** {@code /leader/{participant}}: the participant's server id as UTF-8 text. */
  public static final ZnodeCodec<String> LEADER_PARTICIPANT = ZnodeCodec.text("leader participant");

  private Znodes() {}
}
