package io.shepherd.server.api.fake;

import io.shepherd.server.api.BreakerControl;
import io.shepherd.server.state.BreakerState;

/** The breaker's stored state in memory; the test opens it as the controller would. */
public final class InMemoryBreaker implements BreakerControl {
  private BreakerState state = BreakerState.CLOSED;
  private int stores;

  @Override
  public synchronized BreakerState current() {
    return state;
  }

  @Override
  public synchronized void store(BreakerState newState) {
    state = newState;
    stores++;
  }

  /** How many times the API stored a state. */
  public synchronized int stores() {
    return stores;
  }
}
