package io.shepherd.server.state;

import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.server.auth.TokenRecord;
import io.shepherd.worker.zk.ZnodeCodec;
import io.shepherd.worker.zk.Znodes;

/**
 * The codec of each kind of znode whose value only servers read, beside {@link Znodes} (the kinds the worker module
 * knows too). Paths are {@link io.shepherd.worker.zk.ZkLayout}'s.
 */
public final class ServerZnodes {
  /** {@code /replicasets/{name}}: the spec and what the server keeps with it. */
  public static final ZnodeCodec<StoredReplicaSet> SPEC = ZnodeCodec.json("replica set", StoredReplicaSet.class);
  /** {@code /replicasets/{name}/status}: crash-loop state; an empty znode is {@link CrashLoopState#HEALTHY}. */
  public static final ZnodeCodec<CrashLoopState> CRASH_LOOP;
  /** {@code /replicasets/{name}/revisions/{n}}. */
  public static final ZnodeCodec<Revision> REVISION = ZnodeCodec.json("revision", Revision.class);
  /** {@code /replicasets/{name}/rollout}. */
  public static final ZnodeCodec<Rollout> ROLLOUT = ZnodeCodec.json("rollout", Rollout.class);
  /** {@code /breaker}: the mass-loss breaker. */
  public static final ZnodeCodec<BreakerState> BREAKER = ZnodeCodec.json("breaker", BreakerState.class);
  /** {@code /config/{name}}: the last config change of a set and who made it (empty: none yet). */
  public static final ZnodeCodec<ConfigChange> CONFIG_CHANGE = ZnodeCodec.json("config change", ConfigChange.class);
  /** {@code /tokens/{id}}: an API token (its secret's hash, never the secret). */
  public static final ZnodeCodec<TokenRecord> TOKEN = ZnodeCodec.json("token", TokenRecord.class);

  static {
    ZnodeCodec<CrashLoopState> json = ZnodeCodec.json("crash-loop status", CrashLoopState.class);
    CRASH_LOOP = ZnodeCodec.of(json.kind(), json::encode,
        data -> data.length == 0 ? CrashLoopState.HEALTHY : json.decode(data));
  }

  private ServerZnodes() {}
}
