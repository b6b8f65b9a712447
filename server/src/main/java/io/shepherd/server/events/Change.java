package io.shepherd.server.events;

import io.shepherd.worker.zk.ZkPath;
import java.time.Instant;
import java.util.Optional;

/**
 * One watch notification, with what this server knows of the znode's content around it: the input of
 * {@link EventTranslator}.
 *
 * @param id         the event id it would have ({@link EventIds})
 * @param kind       what ZooKeeper said happened to the znode
 * @param path       which znode, parsed
 * @param time       when this server saw it
 * @param before     the content just before the change, when known
 * @param after      the content after the change (for a create or a data change), when it could be read
 * @param superseded whether {@code after} was written by a later transaction (the znode changed again before this
 *                   server read it), so that it is not exactly what this change wrote
 */
record Change(long id, Kind kind, ZkPath path, Instant time, Optional<Observed> before, Optional<Observed> after,
    boolean superseded) {
  enum Kind { CREATED, CHANGED, DELETED }

  <T extends ZnodeContent> Optional<T> before(Class<T> type) {
    return before.map(Observed::content).filter(type::isInstance).map(type::cast);
  }

  <T extends ZnodeContent> Optional<T> after(Class<T> type) {
    return after.map(Observed::content).filter(type::isInstance).map(type::cast);
  }
}
