package io.shepherd.server.ingest;

/** Where the ingest's batches go: called on the ingest's one thread only. */
public interface IngestSink {
  /** Applies one batch; the first one, and the first after every (re)connection, carries the whole tree. */
  void apply(Batch batch);

  /**
   * What was applied may be behind ZooKeeper for a while: the connection was lost or re-established, or a read
   * failed. A batch with the tree follows. May be called on another thread.
   */
  void stale();
}
