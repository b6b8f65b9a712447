package io.shepherd.server.api;

import io.shepherd.server.state.BreakerState;

/** The stored state of the mass-loss breaker, which an operator may overwrite to close it. */
public interface BreakerControl {
  /** The state as this server last saw it stored. */
  BreakerState current();

  /** Stores a state, creating the record when there is none. */
  void store(BreakerState state) throws Exception;
}
