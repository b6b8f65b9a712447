package io.shepherd.cli;

import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutState;
import io.shepherd.client.ShepherdClient;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Follows a replica set's rollout until it ends ({@link ShepherdClient#awaitRollout}), printing one progress line
 * (updated, ready, available of desired): redrawn in place on a terminal, a new line at each change otherwise. The
 * exit code says how it ended.
 */
final class RolloutWatch {
  /** Long enough to mean "until it ends": a rollout's own deadline ends it first. */
  private static final Duration FOREVER = Duration.ofDays(365);

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

  /** Waits for the rollout of {@code revision} to end, printing its progress; returns the exit code. */
  int await(String name, int revision) throws InterruptedException {
    ProgressLine progress = new ProgressLine(out, terminal);
    Rollout ended = client.awaitRollout(name, revision, FOREVER, r -> progress.show(r.progressLine()))
        .orElseThrow(() -> new IllegalStateException("the rollout of " + name + " did not end within " + FOREVER));
    progress.end();
    return exitCode(ended);
  }
}
