package io.shepherd.server.controller;

import java.util.Optional;

/**
 * The reconcile loop's view of leadership: the {@link Leadership} in a server, an in-memory fake in the loop's tests.
 */
interface LeaderFence {
  /** The fence to write under, while this server leads and has claimed its epoch. */
  Optional<Fence> fence();

  /** A write under {@code rejected} was fenced off: stop acting until leadership is won again. */
  void fenceRejected(Fence rejected);

  default boolean isLeader() {
    return fence().isPresent();
  }
}
