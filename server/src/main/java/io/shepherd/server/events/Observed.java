package io.shepherd.server.events;

/**
 * A znode's content as this server knows it, with the stat fields that place it in ZooKeeper's history.
 *
 * @param czxid   the transaction that created the znode (0 when unknown)
 * @param mzxid   the transaction that last wrote the data read (0 when unknown)
 * @param version the data version read ({@link #UNKNOWN_VERSION} when unknown)
 */
record Observed(long czxid, long mzxid, int version, ZnodeContent content) {
  static final int UNKNOWN_VERSION = -1;

  /** Content taken from the cluster view rather than read at a known point: its place in history is unknown. */
  static Observed fromView(ZnodeContent content) {
    return new Observed(0, 0, UNKNOWN_VERSION, content);
  }

  /** Whether this is the data version just before {@code after}'s, of the same znode incarnation. */
  boolean precedes(Observed after) {
    return version != UNKNOWN_VERSION && version == after.version - 1
        && (czxid == 0 || after.czxid == 0 || czxid == after.czxid);
  }
}
