package io.shepherd.server.controller;

import java.util.List;

/**
 * Where the reconcile loop's decisions are written: the {@link PlanExecutor} in a server, an in-memory fake in the
 * loop's tests. The loop's only side effect besides its queue.
 */
interface PlanWriter {

  /** A plan and the snapshot it was decided from. */
  record Decided(Plan plan, ReplicaSetSnapshot snapshot) {}

  /** What became of each plan of {@link #executeAll}; called on the caller's thread. */
  interface Outcome {
    void committed(Plan plan);

    /** The plan was not written (nothing of it), for a reason other than the fence. */
    void failed(Plan plan, Exception e);
  }

  /** Thrown when the fence check failed: this server no longer leads (or has not yet learned that it does). */
  final class FencedException extends Exception {
    FencedException(Throwable cause) {
      super("the fence rejected the transaction", cause);
    }
  }

  /**
   * Commits the plans of several replica sets under {@code fence}, reporting each plan's fate to {@code outcome}.
   *
   * @throws FencedException when the fence rejects a write: this server no longer leads; the plans not reported
   *     committed were not written, and those after it were not tried
   */
  void executeAll(List<Decided> plans, Fence fence, Outcome outcome) throws FencedException, InterruptedException;
}
