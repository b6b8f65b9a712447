package io.shepherd.server.ingest;

import java.util.List;
import java.util.Optional;

/** Batches for tests that feed a view by hand. */
public final class Batches {
  private Batches() {}

  /** A znode as read at {@code zxid}, created then. */
  public static Znode znode(String path, byte[] data, int version, long zxid) {
    return new Znode(path, data, version, zxid, zxid);
  }

  /** One transaction that created or changed {@code znodes}, at their mzxid. */
  public static Batch changed(Znode... znodes) {
    List<ZnodeChange> changes = List.of(znodes).stream()
        .map(z -> new ZnodeChange(Notification.Kind.CHANGED, z.path(), Optional.of(z))).toList();
    return new Batch(Optional.empty(), List.of(new Transaction(znodes[0].mzxid(), changes)));
  }

  /** One transaction that deleted {@code paths}. */
  public static Batch deleted(long zxid, String... paths) {
    List<ZnodeChange> changes = List.of(paths).stream()
        .map(p -> new ZnodeChange(Notification.Kind.DELETED, p, Optional.<Znode>empty())).toList();
    return new Batch(Optional.empty(), List.of(new Transaction(zxid, changes)));
  }
}
