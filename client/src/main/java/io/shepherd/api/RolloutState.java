package io.shepherd.api;

/** Where a rollout stands. */
public enum RolloutState {
  /** Old-revision copies are being replaced (or, after a failure, the last complete revision is being restored). */
  PROGRESSING,
  /** Held by a user ({@code pause}) or after its canary copies ({@code promote} continues it). */
  PAUSED,
  /** Every copy runs the target revision and is available. */
  COMPLETE,
  /** It failed and stopped where it was (no automatic revert, or nothing to revert to). */
  FAILED,
  /** It failed and the last complete revision was restored. */
  REVERTED;

  /** Whether the rollout has ended: nothing more will happen until the template changes or a user acts. */
  public boolean ended() {
    return this == COMPLETE || this == FAILED || this == REVERTED;
  }
}
