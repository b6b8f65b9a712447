package io.shepherd.server.ingest;

import java.util.Optional;

/**
 * One change of one transaction, as the ingest applies it.
 *
 * @param now the znode as read after the notification (possibly newer: a later notification follows); empty for a
 *            deletion, or when the znode was gone already by the read (its deletion follows)
 */
public record ZnodeChange(Notification.Kind kind, String path, Optional<Znode> now) {}
