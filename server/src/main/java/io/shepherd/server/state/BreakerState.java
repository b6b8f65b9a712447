package io.shepherd.server.state;

import java.time.Instant;
import java.util.Optional;

/**
 * The data of {@code /breaker}: whether the mass-loss breaker holds rescheduling back. The leader writes it when
 * the breaker opens or closes; an operator closes it over REST. Kept in ZooKeeper so that an open breaker survives a
 * leader failover and every server reports the same.
 *
 * @param open           whether new copies are held back
 * @param since          when it last changed
 * @param referenceNodes how many nodes were live before the loss (while open)
 * @param reason         why it changed, for a person
 * @param by             who closed it over REST (the API token's name); empty when the leader changed it
 */
public record BreakerState(boolean open, Optional<Instant> since, int referenceNodes, String reason,
    Optional<String> by) {
  public static final BreakerState CLOSED = new BreakerState(false, Optional.empty(), 0, "");

  public BreakerState {
    since = since == null ? Optional.empty() : since;
    reason = reason == null ? "" : reason;
    by = by == null ? Optional.empty() : by;
  }

  public BreakerState(boolean open, Optional<Instant> since, int referenceNodes, String reason) {
    this(open, since, referenceNodes, reason, Optional.empty());
  }

  public static BreakerState opened(Instant at, int referenceNodes, String reason) {
    return new BreakerState(true, Optional.of(at), referenceNodes, reason);
  }

  public static BreakerState closed(Instant at, String reason) {
    return new BreakerState(false, Optional.of(at), 0, reason);
  }

  /** Closed over REST by {@code by}. */
  public static BreakerState closedBy(Instant at, String by) {
    return new BreakerState(false, Optional.of(at), 0, "reset by " + by, Optional.of(by));
  }

  /** Whether this state was decided after {@code other}; a state never decided (no {@code since}) is not. */
  public boolean decidedAfter(BreakerState other) {
    return since.isPresent() && other.since().isPresent() && since.get().isAfter(other.since().get());
  }
}
