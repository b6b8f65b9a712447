package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * A replica set's rollout, in progress or last done: written by the leader to {@code /replicasets/{name}/rollout}
 * and served by {@code GET /replicasets/{name}/rollout}.
 *
 * @param fromRevision   the revision copies are replaced from (0: none, the replica set was new)
 * @param toRevision     the revision copies are replaced with
 * @param state          where it stands
 * @param reason         why it is in that state
 * @param message        a line for a person, with the details of the reason
 * @param desired        the replica count
 * @param updated        copies of the target revision, running or on their way
 * @param ready          copies of the target revision that are ready
 * @param available      copies of the target revision ready for at least {@code minReadyMs}
 * @param old            copies of other revisions still running or on their way
 * @param stableRevision the last revision that was complete: where a failed rollout goes back to (0: none)
 * @param revertedFrom   the revision that failed, while (and once) this rollout restores the stable one
 * @param startedBy      the principal whose change started it ({@code anonymous} without authentication)
 * @param startedAt      when it started
 * @param lastProgressAt when a new copy last became available (or it started, or resumed)
 * @param finishedAt     when it ended
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record Rollout(
    int fromRevision,
    int toRevision,
    RolloutState state,
    RolloutReason reason,
    String message,
    int desired,
    int updated,
    int ready,
    int available,
    int old,
    int stableRevision,
    Optional<Integer> revertedFrom,
    String startedBy,
    Instant startedAt,
    Instant lastProgressAt,
    Optional<Instant> finishedAt) {

  public Rollout {
    message = message == null ? "" : message;
    revertedFrom = revertedFrom == null ? Optional.empty() : revertedFrom;
    startedBy = startedBy == null ? "anonymous" : startedBy;
    finishedAt = finishedAt == null ? Optional.empty() : finishedAt;
  }

  /** This rollout in {@code newState} for {@code newReason}. */
  public Rollout with(RolloutState newState, RolloutReason newReason, String newMessage) {
    return new Rollout(fromRevision, toRevision, newState, newReason, newMessage, desired, updated, ready, available,
        old, stableRevision, revertedFrom, startedBy, startedAt, lastProgressAt, finishedAt);
  }

  /** This rollout with these counts. */
  public Rollout counted(int newDesired, int newUpdated, int newReady, int newAvailable, int newOld) {
    return new Rollout(fromRevision, toRevision, state, reason, message, newDesired, newUpdated, newReady,
        newAvailable, newOld, stableRevision, revertedFrom, startedBy, startedAt, lastProgressAt, finishedAt);
  }

  public Rollout progressedAt(Instant at) {
    return new Rollout(fromRevision, toRevision, state, reason, message, desired, updated, ready, available, old,
        stableRevision, revertedFrom, startedBy, startedAt, at, finishedAt);
  }

  /** This rollout ended at {@code at}; {@code stable} is the last complete revision from now on. */
  public Rollout finished(Instant at, int stable) {
    return new Rollout(fromRevision, toRevision, state, reason, message, desired, updated, ready, available, old,
        stable, revertedFrom, startedBy, startedAt, lastProgressAt, Optional.of(at));
  }

  /** A builder of a rollout from nothing: revisions and counts 0, no state, nothing reverted, not finished. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this rollout: set only what differs. */
  public Builder toBuilder() {
    return new Builder()
        .fromRevision(fromRevision).toRevision(toRevision).state(state).reason(reason).message(message)
        .desired(desired).counts(updated, ready, available, old)
        .stableRevision(stableRevision).revertedFrom(revertedFrom)
        .startedBy(startedBy).startedAt(startedAt).lastProgressAt(lastProgressAt).finishedAt(finishedAt);
  }

  /**
   * Builds a rollout by naming its components, so that a derived one (a revert, a new rollout) cannot swap two of
   * the sixteen by position. Unset components are those of {@link #builder()}; {@link #build()} applies the record's
   * own defaults.
   */
  public static final class Builder {
    private int fromRevision;
    private int toRevision;
    private RolloutState state;
    private RolloutReason reason;
    private String message;
    private int desired;
    private int updated;
    private int ready;
    private int available;
    private int old;
    private int stableRevision;
    private Optional<Integer> revertedFrom = Optional.empty();
    private String startedBy;
    private Instant startedAt;
    private Instant lastProgressAt;
    private Optional<Instant> finishedAt = Optional.empty();

    private Builder() {}

    public Builder fromRevision(int v) {
      fromRevision = v;
      return this;
    }

    public Builder toRevision(int v) {
      toRevision = v;
      return this;
    }

    public Builder state(RolloutState v) {
      state = v;
      return this;
    }

    public Builder reason(RolloutReason v) {
      reason = v;
      return this;
    }

    public Builder message(String v) {
      message = v;
      return this;
    }

    public Builder desired(int v) {
      desired = v;
      return this;
    }

    /** The copies of the target revision (updated, ready, available) and of other revisions (old). */
    public Builder counts(int newUpdated, int newReady, int newAvailable, int newOld) {
      updated = newUpdated;
      ready = newReady;
      available = newAvailable;
      old = newOld;
      return this;
    }

    public Builder stableRevision(int v) {
      stableRevision = v;
      return this;
    }

    public Builder revertedFrom(Optional<Integer> v) {
      revertedFrom = v;
      return this;
    }

    public Builder startedBy(String v) {
      startedBy = v;
      return this;
    }

    public Builder startedAt(Instant v) {
      startedAt = v;
      return this;
    }

    public Builder lastProgressAt(Instant v) {
      lastProgressAt = v;
      return this;
    }

    public Builder finishedAt(Optional<Instant> v) {
      finishedAt = v;
      return this;
    }

    public Rollout build() {
      return new Rollout(fromRevision, toRevision, state, reason, message, desired, updated, ready, available, old,
          stableRevision, revertedFrom, startedBy, startedAt, lastProgressAt, finishedAt);
    }
  }

  /** The line {@code shepherd rollout status} prints. */
  public String progressLine() {
    return "revision " + toRevision + ": " + state + " " + updated + " updated, " + ready + " ready, " + available
        + " available of " + desired + (old > 0 ? ", " + old + " old" : "")
        + (revertedFrom.isPresent() ? " (reverting from revision " + revertedFrom.get() + ")" : "")
        + (message.isEmpty() ? "" : " - " + message);
  }
}
