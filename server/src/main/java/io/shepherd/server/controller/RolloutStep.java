package io.shepherd.server.controller;

import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutPolicy;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.server.state.StoredReplicaSet;
import io.shepherd.worker.record.AssignmentRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a rolling update: a pure function of the replica set's copies, its stored rollout and the time. It
 * says how many copies of the target revision to start, which copies to stop, the rollout to store, and whether to
 * go back to the last complete revision. The {@link Reconciler} asks it on every reconcile, so a new leader takes a
 * rollout up where it stands, from what ZooKeeper holds.
 *
 * <p>The two bounds, with {@code surge} rounded up and {@code unavailable} rounded down from the replica count:
 * <ul>
 *   <li>copies, live or pending, of every revision: never more than {@code replicas + surge} (new copies are started
 *       only into that room);
 *   <li>available copies: never fewer than {@code replicas - unavailable} through a stop: an old copy that is
 *       available is stopped only while more than that many are available. An old copy that is not available
 *       (pending, unready) may always go: it serves no one.
 * </ul>
 * A new copy is available once ready for {@code minReadyMs}; an old copy once ready.
 *
 * <p>States: PROGRESSING until every copy runs the target revision and is available (COMPLETE, or REVERTED when the
 * target was restored after a failure); PAUSED by a user or after the canary copies; FAILED when no new copy became
 * available within {@code progressDeadlineMs} or new copies crash-loop, unless {@code autoRevert} sends it back to the
 * last complete revision (PROGRESSING again, {@code revertedFrom} set). A paused or failed rollout replaces no more
 * copies: it starts copies only to keep the count, and stops only those above its ceiling (after a scale-down).
 *
 * <p>The surge bound counts assignments: an old copy whose assignment is deleted is no longer counted while its agent
 * drains it (as Kubernetes does not count terminating pods toward {@code maxSurge}).
 */
public final class RolloutStep {
  private RolloutStep() {}

  /** A copy that is live or pending; {@code ready} and {@code available} only for a live one. */
  public record Member(AssignmentRecord assignment, boolean live, boolean ready, boolean available,
      Instant startedAt) {
    int revision() {
      return assignment.revision();
    }
  }

  /**
   * What the step looks at.
   *
   * @param stored      the replica set as stored: its revision, who made it, paused, promoted
   * @param previous    the rollout as stored; empty before the first
   * @param members     the live and pending copies, of every revision
   * @param newCrashLoop whether copies of the target revision crash-loop
   * @param revisions   the stored revisions, by number (for a revert)
   * @param nextAvailableAt when the next new copy that is ready but not yet available for long enough becomes so
   * @param now         the time
   */
  public record Input(StoredReplicaSet stored, Optional<Rollout> previous, List<Member> members,
      boolean newCrashLoop, Map<Integer, Revision> revisions, Optional<Instant> nextAvailableAt, Instant now) {}

  /**
   * What to do.
   *
   * @param startNew how many copies of the target revision to start
   * @param stop     copies to stop
   * @param rollout  the rollout to store, when it differs from the stored one
   * @param revert   the replica set to store instead, going back to the last complete revision
   * @param restored with {@code revert}: that revision's record, the revert added to its restores (by
   *                 {@link Revision#CONTROLLER}, for the reason the rollout failed)
   * @param wakeUp   when to look again (the progress deadline, a copy's minReadyMs)
   */
  public record Decision(int startNew, List<AssignmentRecord> stop, Optional<Rollout> rollout,
      Optional<StoredReplicaSet> revert, Optional<Revision> restored, Optional<Duration> wakeUp) {}

  public static Decision decide(Input in) {
    StoredReplicaSet stored = in.stored();
    RolloutPolicy policy = stored.spec().rollout();
    int target = stored.revision();
    int desired = stored.desired();
    Instant now = in.now();
    List<Member> fresh = in.members().stream().filter(m -> m.revision() == target).toList();
    List<Member> old = in.members().stream().filter(m -> m.revision() != target).toList();
    int updated = fresh.size();
    int ready = (int) fresh.stream().filter(Member::ready).count();
    int available = (int) fresh.stream().filter(Member::available).count();

    Rollout before = in.previous().filter(p -> p.toRevision() == target).orElseGet(() -> begin(in, now));
    Rollout r = before.counted(desired, updated, ready, available, old.size());
    boolean sameRollout = in.previous().map(p -> p.toRevision() == target).orElse(false);
    if (sameRollout && (available > before.available() || old.size() < before.old())) {
      r = r.progressedAt(now);
    }

    boolean settled = sameRollout && old.isEmpty()
        && (before.state() == RolloutState.COMPLETE || before.state() == RolloutState.REVERTED);
    boolean complete = updated >= desired && available >= desired && old.isEmpty();
    // The canary holds a rollout that still has copies to replace, never one that is done: a canary policy set
    // after a rollout completed, or a rollout whose copies were all replaced to keep the count, stops nothing.
    boolean canaryGate = !settled && !complete && policy.canary() > 0 && stored.promotedRevision() != target
        && before.revertedFrom().isEmpty() && before.fromRevision() > 0;
    if (settled) {
      // Done: copies that die now are replaced as in any replica set, and the record of the rollout stays as it ended.
      r = before;
    } else if (complete) {
      if (!r.state().ended() || r.state() == RolloutState.FAILED) {
        boolean reverted = r.revertedFrom().isPresent();
        r = r.with(reverted ? RolloutState.REVERTED : RolloutState.COMPLETE,
                reverted ? r.reason() : RolloutReason.ALL_COPIES_UPDATED,
                reverted ? "revision " + r.revertedFrom().get() + " failed (" + r.reason() + "); revision " + target
                    + " is restored" : "every copy runs revision " + target)
            .finished(now, target);
      }
    } else if (r.state() == RolloutState.FAILED) {
      // Stopped where it is; it says why.
    } else if (stored.paused()) {
      r = r.with(RolloutState.PAUSED, RolloutReason.PAUSED_BY_USER, "paused by a user; resume continues it");
    } else if (canaryGate && available >= Math.min(policy.canary(), desired)) {
      r = r.with(RolloutState.PAUSED, RolloutReason.CANARY_WAITING_FOR_PROMOTE,
          available + " canary copies of revision " + target + " are available; promote continues the rollout");
    } else {
      if (r.state() != RolloutState.PROGRESSING) {
        // Resumed, promoted, or an ended rollout with work left: the deadline counts from now.
        r = r.with(RolloutState.PROGRESSING, resumedReason(r, stored), "").progressedAt(now);
      }
      Optional<RolloutReason> failure = in.newCrashLoop() ? Optional.of(RolloutReason.NEW_COPIES_CRASH_LOOP)
          : !now.isBefore(r.lastProgressAt().plusMillis(policy.progressDeadlineMs()))
              ? Optional.of(RolloutReason.PROGRESS_DEADLINE_EXCEEDED) : Optional.empty();
      if (failure.isPresent()) {
        return fail(in, r, failure.get(), policy, now);
      }
    }

    boolean frozen = r.state() == RolloutState.PAUSED || r.state() == RolloutState.FAILED;
    int maxTotal = desired + policy.surge(desired);
    int minAvailable = Math.max(0, desired - policy.unavailable(desired));
    int total = updated + old.size();
    List<AssignmentRecord> stop = new ArrayList<>();
    int startNew;
    if (frozen) {
      // Keep the count, replace nothing. Copies beyond it go, those that serve least first: beyond the surge bound
      // while old copies remain (the surge a paused rollout holds stays), beyond the count once none does.
      startNew = Math.max(0, desired - total);
      int ceiling = old.isEmpty() ? desired : Math.max(desired, maxTotal);
      if (total > ceiling) {
        stop.addAll(leastUseful(in.members(), total - ceiling));
      }
    } else {
      int newCap = canaryGate ? Math.min(desired, policy.canary()) : desired;
      if (updated > newCap) {
        stop.addAll(leastUseful(fresh, updated - newCap));
      }
      // Old copies that serve no one go at once; available ones only above the floor.
      List<Member> oldUnavailable = old.stream().filter(m -> !m.available()).toList();
      oldUnavailable.forEach(m -> stop.add(m.assignment()));
      int availableTotal = available + (int) old.stream().filter(Member::available).count();
      int margin = Math.max(0, availableTotal - minAvailable);
      stop.addAll(leastUseful(old.stream().filter(Member::available).toList(), margin));
      int room = maxTotal - total;
      startNew = Math.max(0, Math.min(newCap - updated, room));
    }

    List<Duration> wakeUps = new ArrayList<>();
    if (r.state() == RolloutState.PROGRESSING) {
      wakeUps.add(Duration.between(now, r.lastProgressAt().plusMillis(policy.progressDeadlineMs())));
    }
    in.nextAvailableAt().ifPresent(t -> wakeUps.add(Duration.between(now, t)));
    Optional<Duration> wakeUp = wakeUps.stream().filter(d -> !d.isNegative()).min(Comparator.naturalOrder());
    Optional<Rollout> write = in.previous().equals(Optional.of(r)) ? Optional.empty() : Optional.of(r);
    return new Decision(startNew, stop, write, Optional.empty(), Optional.empty(), wakeUp);
  }

  /** The rollout that starts when the target revision differs from the stored rollout's. */
  private static Rollout begin(Input in, Instant now) {
    StoredReplicaSet stored = in.stored();
    int stable = in.previous()
        .map(p -> p.state() == RolloutState.COMPLETE || p.state() == RolloutState.REVERTED
            ? p.toRevision() : p.stableRevision())
        .orElse(0);
    String why = switch (stored.cause()) {
      case RESTART -> "a rolling restart";
      case UNDO -> "going back to revision " + stored.revision();
      default -> "a new template";
    };
    return Rollout.builder()
        .fromRevision(stable).toRevision(stored.revision()).stableRevision(stable)
        .state(RolloutState.PROGRESSING).reason(stored.cause()).message(why)
        .desired(stored.desired())
        .startedBy(stored.changedBy()).startedAt(now).lastProgressAt(now)
        .build();
  }

  private static RolloutReason resumedReason(Rollout r, StoredReplicaSet stored) {
    if (r.state() == RolloutState.PAUSED && r.revertedFrom().isEmpty()) {
      return stored.cause();
    }
    return r.reason();
  }

  /**
   * The rollout failed for {@code why}: with {@code autoRevert} and a complete revision to go back to (whose template
   * is stored), the replica set goes back to it; otherwise the rollout stops where it is. Nothing else changes in
   * this step: the next one rolls toward the restored revision.
   */
  private static Decision fail(Input in, Rollout r, RolloutReason why, RolloutPolicy policy, Instant now) {
    String cause = why == RolloutReason.NEW_COPIES_CRASH_LOOP ? "copies of revision " + r.toRevision()
        + " crash-loop" : "no new copy became available within " + policy.progressDeadlineMs() + " ms";
    int stable = r.stableRevision();
    Optional<Revision> back = Optional.ofNullable(in.revisions().get(stable));
    if (policy.autoRevert() && r.revertedFrom().isEmpty() && stable > 0 && stable != r.toRevision()
        && back.isPresent()) {
      StoredReplicaSet reverted = in.stored().backTo(stable, back.get().template(), r.startedBy(), in.stored().cause());
      // The copies of the failed revision are now the old ones; whoever started the failed rollout started this one.
      Rollout revert = r.toBuilder()
          .fromRevision(r.toRevision()).toRevision(stable).revertedFrom(Optional.of(r.toRevision()))
          .state(RolloutState.PROGRESSING).reason(why).message(cause + "; going back to revision " + stable)
          .counts(0, 0, 0, r.updated())
          .startedAt(now).lastProgressAt(now).finishedAt(Optional.empty())
          .build();
      Revision restored = back.get().restoredBy(new Revision.Restore(now, Revision.CONTROLLER, why, r.toRevision()));
      return new Decision(0, List.of(), Optional.of(revert), Optional.of(reverted), Optional.of(restored),
          Optional.empty());
    }
    String rest = !policy.autoRevert() ? "; autoRevert is off: stopped where it is"
        : r.revertedFrom().isPresent() ? "; going back failed too: stopped where it is"
        : stable == 0 || stable == r.toRevision() ? "; no complete revision to go back to: stopped where it is"
        : "; revision " + stable + " is no longer stored: stopped where it is";
    Rollout failed = r.with(RolloutState.FAILED, why, cause + rest).finished(now, stable);
    return new Decision(0, List.of(), Optional.of(failed), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * The {@code count} copies that serve least: pending ones first (newest first), then unready ones, then ready ones
   * not yet available (ready for less than {@code minReadyMs}), then the youngest available ones, so that long-lived,
   * warm copies stay and the available count falls only when nothing else can go. Both a rollout and a scale-down
   * stop copies in this order.
   */
  static List<AssignmentRecord> leastUseful(List<Member> members, int count) {
    return members.stream()
        .sorted(Comparator.comparing(Member::live)
            .thenComparing(Member::ready)
            .thenComparing(Member::available)
            .thenComparing(Comparator.comparing(Member::startedAt).reversed())
            .thenComparing(m -> m.assignment().instanceId()))
        .limit(Math.max(0, count))
        .map(Member::assignment)
        .toList();
  }
}
