package io.shepherd.worker.record;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an agent needs to restart a copy in place, copied by the leader from the spec's {@code restart} and
 * {@code crashLoop} into the assignment. Absent in records written before local restarts: the defaults apply.
 *
 * @param localAttempts    restarts in place allowed within {@code windowMs} before the copy is given back; 0: none
 * @param windowMs         the window the attempts are counted in
 * @param minUptimeMs      a copy that ran less than this crashed
 * @param initialBackoffMs the wait before the second restart in a row of a crashing copy, doubling after
 * @param maxBackoffMs     the longest wait
 * @param resetAfterMs     a copy that ran this long starts its crash count afresh
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LocalRestartPolicy(
    Integer localAttempts, Long windowMs, Long minUptimeMs, Long initialBackoffMs, Long maxBackoffMs,
    Long resetAfterMs) {

  public static final LocalRestartPolicy DEFAULT = new LocalRestartPolicy(null, null, null, null, null, null);

  public LocalRestartPolicy {
    localAttempts = localAttempts == null ? 10 : localAttempts;
    windowMs = windowMs == null ? 600_000L : windowMs;
    minUptimeMs = minUptimeMs == null ? 1_000L : minUptimeMs;
    initialBackoffMs = initialBackoffMs == null ? 1_000L : initialBackoffMs;
    maxBackoffMs = maxBackoffMs == null ? 60_000L : maxBackoffMs;
    resetAfterMs = resetAfterMs == null ? 10_000L : resetAfterMs;
  }

  /** The wait before restart number {@code crashes} of a copy that crashed that many times in a row. */
  public long backoffMs(int crashes) {
    if (crashes <= 1) {
      return 0;
    }
    int doublings = Math.min(crashes - 2, 30);
    long delay = initialBackoffMs * (1L << doublings);
    return delay < 0 ? maxBackoffMs : Math.min(delay, maxBackoffMs);
  }
}
