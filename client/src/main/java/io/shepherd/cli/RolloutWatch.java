package io.shepherd.cli;

import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutState;
import io.shepherd.client.NotFoundException;
import io.shepherd.client.ShepherdClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * Follows a replica set's rollout until it ends, printing one progress line (updated, ready, available of desired):
 * redrawn in place on a terminal, a new line at each change otherwise. The exit code says how it ended.
 */
final class RolloutWatch {
  static final Duration POLL = Duration.ofMillis(500);

  private final ShepherdClient client;
  private final PrintWriter out;
  private final boolean terminal;

  RolloutWatch(ShepherdClient client, PrintWriter out, boolean terminal) {
    this.client = client;
    this.out = out;
    this.terminal = terminal;
  }

  /** The exit code for a rollout that ended: 0 when COMPLETE, {@link ExitCodes#ROLLOUT_FAILED} otherwise. */
  static int exitCode(Rollout r) {
    return r.state() == RolloutState.COMPLETE ? ExitCodes.OK : ExitCodes.ROLLOUT_FAILED;
  }

  /**
   * Waits for the rollout of {@code revision} (empty: whichever is current) to end: it completed, failed, or was
   * reverted from. Prints its progress; returns the exit code.
   */
  int await(String name, Optional<Integer> revision) throws InterruptedException {
    String last = "";
    while (true) {
      Optional<Rollout> current = find(name);
      if (current.isPresent()) {
        Rollout r = current.get();
        boolean ours = revision.isEmpty() || r.toRevision() == revision.get()
            || r.revertedFrom().equals(revision);
        String line = r.progressLine();
        if (!line.equals(last)) {
          if (terminal) {
            out.print("\r\033[K" + line);
          } else {
            out.println(line);
          }
          out.flush();
          last = line;
        }
        if (ours && r.state().ended()) {
          if (terminal) {
            out.println();
            out.flush();
          }
          return exitCode(r);
        }
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The rollout; empty while the leader has not looked at a new replica set yet. */
  private Optional<Rollout> find(String name) {
    try {
      return Optional.of(client.rollout(name));
    } catch (NotFoundException e) {
      client.get(name); // an unknown replica set is an error, not a wait
      return Optional.empty();
    }
  }
}
