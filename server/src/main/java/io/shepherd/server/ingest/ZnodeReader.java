package io.shepherd.server.ingest;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads znodes for the ingest, on the connection that carries its watch.
 *
 * <p>Every call is a <b>barrier</b>: when it returns, every notification the server sent before answering it has
 * been handed to the ingest. (The server answers a read only after the writes it has begun, and notified, before
 * it; the answer travels behind those notifications, and ZooKeeper's client delivers both in order.) So after a
 * read, the notifications at hand hold whole transactions, and every transaction whose effect the read saw.
 */
public interface ZnodeReader {
  /** Reads the znodes at {@code paths} together; a znode gone is absent from the answer. */
  Map<String, Znode> read(Collection<String> paths) throws Exception;

  /** Every znode under {@code root}, the root included. */
  List<Znode> readTree(String root) throws Exception;
}
