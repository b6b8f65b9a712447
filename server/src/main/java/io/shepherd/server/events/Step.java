package io.shepherd.server.events;

import io.shepherd.worker.zk.ZkPath;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the feed's ordered queue: it is reported once it and everything before it is resolved, so that events
 * leave in ZooKeeper's order although the reads they wait for come back at different times. Guarded by the feed.
 */
abstract sealed class Step {
  private final Instant queuedAt;
  private boolean resolved;

  Step(Instant queuedAt) {
    this.queuedAt = queuedAt;
  }

  Instant queuedAt() {
    return queuedAt;
  }

  boolean resolved() {
    return resolved;
  }

  void markResolved() {
    resolved = true;
  }

  /** A watch notification, waiting for its znode's content when it needs it. */
  static final class Notice extends Step {
    final long id;
    final long zxid;
    final Change.Kind kind;
    final ZkPath path;
    final String znode;
    private Change change;

    Notice(long id, long zxid, Change.Kind kind, ZkPath path, String znode, Instant seenAt) {
      super(seenAt);
      this.id = id;
      this.zxid = zxid;
      this.kind = kind;
      this.path = path;
      this.znode = znode;
    }

    /** Resolves it (only the first time counts: a read that comes back after the feed gave up is ignored). */
    void resolve(Optional<Observed> before, Optional<Observed> after, boolean superseded) {
      if (!resolved()) {
        change = new Change(id, kind, path, queuedAt(), before, after, superseded);
        markResolved();
      }
    }

    Change change() {
      return change;
    }
  }

  /** A fresh read of the leader latch's participants, taken when the watch is (re)established. */
  static final class Seed extends Step {
    private Optional<Map<String, String>> participants = Optional.empty();

    Seed(Instant queuedAt) {
      super(queuedAt);
    }

    /** Resolves it; empty when the read failed and the feed keeps what it knew. */
    void resolve(Optional<Map<String, String>> read) {
      if (!resolved()) {
        participants = read;
        markResolved();
      }
    }

    Optional<Map<String, String>> participants() {
      return participants;
    }
  }
}
