package io.shepherd.cli;

import io.shepherd.api.Revision;
import io.shepherd.api.RolloutReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One line of {@code shepherd rollout history}: a revision made, or one brought back (by an undo or an automatic
 * revert).
 *
 * @param revision the revision
 * @param at       when it was made, or brought back
 * @param by       who made it, or brought it back ({@code controller} for an automatic revert)
 * @param cause    why: its cause when made; {@code UNDO from N}, or {@code REVERTED from N (reason)}, when brought back
 * @param command  its command
 */
record HistoryLine(int revision, Instant at, String by, String cause, String command) {
  /** Every revision's creation and restores, in time order (a revision before its restores at the same time). */
  static List<HistoryLine> of(List<Revision> revisions) {
    List<HistoryLine> lines = new ArrayList<>();
    for (Revision r : revisions) {
      String command = Render.command(r.template().command());
      lines.add(new HistoryLine(r.revision(), r.createdAt(), r.createdBy(), r.cause().toString(), command));
      for (Revision.Restore back : r.restores()) {
        String cause = back.reason() == RolloutReason.UNDO ? "UNDO from " + back.fromRevision()
            : "REVERTED from " + back.fromRevision() + " (" + back.reason() + ")";
        lines.add(new HistoryLine(r.revision(), back.at(), back.by(), cause, command));
      }
    }
    // A stable sort: lines at the same time keep the order of the revisions' list.
    lines.sort(Comparator.comparing(HistoryLine::at));
    return lines;
  }
}
