package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * When an exit counts as a crash, and how restarts of a crashing replica set back off.
 *
 * <p>A copy that exits within {@code minUptimeMs} of its start is a failure. The first consecutive failure is
 * replaced at once; failure n (n &ge; 2) waits {@code initialBackoffMs * 2^(n-2)}, at most
 * {@code maxBackoffMs}. The count resets once a copy has stayed up for {@code resetAfterMs}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CrashLoopPolicy(
    Long minUptimeMs, Long initialBackoffMs, Long maxBackoffMs, Long resetAfterMs) {

  public static final CrashLoopPolicy DEFAULT = new CrashLoopPolicy(1_000L, 1_000L, 60_000L, 10_000L);

  /** The failure in a row from which restarts wait ({@link #backoffMs}): from there on, copies crash-loop. */
  public static final int BACKOFF_FROM = 2;

  public CrashLoopPolicy {
    minUptimeMs = minUptimeMs == null ? 1_000L : minUptimeMs;
    initialBackoffMs = initialBackoffMs == null ? 1_000L : initialBackoffMs;
    maxBackoffMs = maxBackoffMs == null ? 60_000L : maxBackoffMs;
    resetAfterMs = resetAfterMs == null ? 10_000L : resetAfterMs;
  }

  /** Whether {@code failuresInARow} failures in a row are a crash loop: restarts back off from there. */
  public boolean crashLoops(int failuresInARow) {
    return failuresInARow >= BACKOFF_FROM;
  }

  /** The wait before the next spawn after {@code consecutiveFailures} failures in a row. */
  public long backoffMs(int consecutiveFailures) {
    if (!crashLoops(consecutiveFailures)) {
      return 0;
    }
    int doublings = Math.min(consecutiveFailures - BACKOFF_FROM, 30);
    long delay = initialBackoffMs * (1L << doublings);
    return delay < 0 ? maxBackoffMs : Math.min(delay, maxBackoffMs);
  }
}
