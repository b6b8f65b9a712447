package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * The mass-loss breaker ({@code GET /api/v1/breaker}). While open, the controller starts no copies: a large share
 * of nodes vanished at once, which looks like a ZooKeeper or network fault rather than real host deaths. It closes
 * when the nodes return, or when an operator sends {@code PUT /api/v1/breaker {"open": false}}.
 *
 * @param open   whether new copies are held back
 * @param since  when it last opened or closed
 * @param reason why, for a person
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record BreakerStatus(boolean open, Optional<Instant> since, String reason) {
  public BreakerStatus {
    since = since == null ? Optional.empty() : since;
  }
}
