package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a changed template reaches every copy: old-revision copies are replaced by new ones with never more than
 * {@code replicas + maxSurge} copies (live or pending) and never fewer than {@code replicas - maxUnavailable}
 * available ones. Defaults follow Kubernetes' Deployment, except {@code autoRevert}.
 *
 * @param maxSurge          copies above the replica count a rollout may add: a count or a percentage, rounded up
 * @param maxUnavailable    copies below the replica count that may be unavailable: a count or a percentage, rounded
 *                          down; not both zero
 * @param minReadyMs        how long a new copy must have been ready to count as available
 * @param progressDeadlineMs the rollout fails when no new copy becomes available for this long
 * @param autoRevert        whether a failed rollout rolls back to the last revision that was complete
 * @param canary            start this many new copies, then pause until the rollout is promoted (0: no pause)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutPolicy(
    IntOrPercent maxSurge,
    IntOrPercent maxUnavailable,
    Long minReadyMs,
    Long progressDeadlineMs,
    Boolean autoRevert,
    Integer canary) {

  public static final long DEFAULT_PROGRESS_DEADLINE_MS = 600_000L;
  public static final RolloutPolicy DEFAULT = new RolloutPolicy(null, null, null, null, null, null);

  public RolloutPolicy {
    maxSurge = maxSurge == null || maxSurge.text() == null ? IntOrPercent.percent(25) : maxSurge;
    maxUnavailable = maxUnavailable == null || maxUnavailable.text() == null ? IntOrPercent.percent(25)
        : maxUnavailable;
    minReadyMs = minReadyMs == null ? 0L : minReadyMs;
    progressDeadlineMs = progressDeadlineMs == null ? DEFAULT_PROGRESS_DEADLINE_MS : progressDeadlineMs;
    autoRevert = autoRevert == null ? Boolean.TRUE : autoRevert;
    canary = canary == null ? 0 : canary;
  }

  /** The surge in copies for {@code replicas}: rounded up. */
  public int surge(int replicas) {
    return maxSurge.isValid() ? maxSurge.resolve(replicas, true) : 0;
  }

  /**
   * The copies that may be unavailable for {@code replicas}: rounded down, and 1 when both bounds come to zero
   * (as Kubernetes does: a rollout must be able to move).
   */
  public int unavailable(int replicas) {
    int unavailable = maxUnavailable.isValid() ? maxUnavailable.resolve(replicas, false) : 0;
    return unavailable == 0 && surge(replicas) == 0 ? 1 : unavailable;
  }

  public RolloutPolicy withCanary(int copies) {
    return new RolloutPolicy(maxSurge, maxUnavailable, minReadyMs, progressDeadlineMs, autoRevert, copies);
  }

  public RolloutPolicy withAutoRevert(boolean revert) {
    return new RolloutPolicy(maxSurge, maxUnavailable, minReadyMs, progressDeadlineMs, revert, canary);
  }

  public RolloutPolicy withProgressDeadlineMs(long ms) {
    return new RolloutPolicy(maxSurge, maxUnavailable, minReadyMs, ms, autoRevert, canary);
  }

  public RolloutPolicy withMinReadyMs(long ms) {
    return new RolloutPolicy(maxSurge, maxUnavailable, ms, progressDeadlineMs, autoRevert, canary);
  }

  /** These bounds: each a count ({@code "1"}) or a percentage ({@code "25%"}). */
  public RolloutPolicy withBounds(String surge, String unavailable) {
    return new RolloutPolicy(new IntOrPercent(surge), new IntOrPercent(unavailable), minReadyMs, progressDeadlineMs,
        autoRevert, canary);
  }
}
