package io.shepherd.server.ingest;

import org.apache.zookeeper.data.Stat;

/**
 * A znode as read: its data and the parts of its stat the server uses.
 *
 * @param version the data version (for compare-and-set writes)
 * @param czxid   the zxid of the transaction that created it
 * @param mzxid   the zxid of the transaction that last changed its data
 */
public record Znode(String path, byte[] data, int version, long czxid, long mzxid) {
  public Znode {
    data = data == null ? new byte[0] : data;
  }

  public static Znode of(String path, byte[] data, Stat stat) {
    return new Znode(path, data, stat.getVersion(), stat.getCzxid(), stat.getMzxid());
  }
}
