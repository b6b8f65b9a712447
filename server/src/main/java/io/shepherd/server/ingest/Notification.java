package io.shepherd.server.ingest;

import java.util.Optional;
import org.apache.zookeeper.WatchedEvent;

/**
 * One notification of the root's persistent recursive watch: a znode was created, its data changed, or it was
 * deleted.
 *
 * @param zxid the transaction's zxid as the server sent it (ZooKeeper 3.9 and later); {@link #UNKNOWN} from older
 *             servers
 */
public record Notification(Kind kind, String path, long zxid) {
  /** The zxid of a notification from a server older than 3.9. */
  public static final long UNKNOWN = -1;

  public enum Kind { CREATED, CHANGED, DELETED }

  /** The notification a watch event carries, if it is about a znode (connection events are not). */
  public static Optional<Notification> of(WatchedEvent event) {
    Kind kind = switch (event.getType()) {
      case NodeCreated -> Kind.CREATED;
      case NodeDataChanged -> Kind.CHANGED;
      case NodeDeleted -> Kind.DELETED;
      default -> null;
    };
    if (kind == null || event.getPath() == null) {
      return Optional.empty();
    }
    return Optional.of(new Notification(kind, event.getPath(), event.getZxid() < 0 ? UNKNOWN : event.getZxid()));
  }

  /** Whether the znode's content must be read to apply this notification. */
  public boolean needsRead() {
    return kind != Kind.DELETED;
  }
}
