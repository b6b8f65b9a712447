package io.shepherd.cli;

import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutReason;
import io.shepherd.api.RolloutState;
import io.shepherd.client.ShepherdClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows a replica set's rollout until it ends ({@link ShepherdClient#awaitRollout}), printing one progress line
 * (updated, ready, available of desired): redrawn in place on a terminal, a new line at each change otherwise. A
 * rollout that pauses (a user's pause, or its canary copies waiting for promote) waits for a person: a line of its own
 * says which command continues it, and the watch goes on. The exit code says how it ended.
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
    AtomicReference<Optional<RolloutReason>> hinted = new AtomicReference<>(Optional.empty());
    Rollout ended = client.awaitRollout(name, revision, FOREVER, r -> {
          progress.show(r.progressLine());
          if (r.state() != RolloutState.PAUSED) {
            hinted.set(Optional.empty());
          } else if (!hinted.get().equals(Optional.of(r.reason()))) {
            progress.note(pausedHint(name, r));
            hinted.set(Optional.of(r.reason()));
          }
        })
        .orElseThrow(() -> new IllegalStateException("the rollout of " + name + " did not end within " + FOREVER));
    progress.end();
    return exitCode(ended);
  }

  /** What continues a paused rollout: promote after its canary copies, resume after a user's pause. */
  static String pausedHint(String name, Rollout paused) {
    return paused.reason() == RolloutReason.CANARY_WAITING_FOR_PROMOTE
        ? "paused after its canary copies; waiting for: shepherd rollout promote " + name
        : "paused; waiting for: shepherd rollout resume " + name;
  }
}
