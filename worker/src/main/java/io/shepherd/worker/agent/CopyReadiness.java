package io.shepherd.worker.agent;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A copy's readiness: its probes ({@link ProbeScheduler}), its instance's {@code ready} flag ({@link ReadinessWrites})
 * and its place in its set's election, which it holds while it is ready and neither stopping nor ended. A copy about to
 * be stopped leaves the election and is marked unready first ({@link StopScheduler#onStopping}); a failed probe stops
 * it as its failure.
 *
 * <p>Any thread: probe results arrive on the probes' thread, registrations on Curator's event thread or the agent
 * thread, exits on the exit executor, stops on any thread.
 */
final class CopyReadiness implements Closeable {
  private final LocalApi localApi;
  private final ProbeScheduler probes;

  /**
   * Registers itself as {@code stopper}'s hook for copies about to stop.
   *
   * @param localApi   holds the elections of this node's sets
   * @param workingDir where a copy's exec probes run
   */
  CopyReadiness(AgentContext ctx, InstanceWrites writes, StopScheduler stopper, LocalApi localApi,
      Function<Copy, Path> workingDir) {
    this.localApi = localApi;
    ReadinessWrites readiness = new ReadinessWrites(ctx.client(), writes, ctx.config().host());
    this.probes = new ProbeScheduler(ctx.clock(), ctx.metrics(), new ProbeScheduler.Effects() {
      @Override
      public CompletableFuture<Boolean> setReady(Copy copy, boolean ready) {
        elect(copy, ready);
        return readiness.setReady(copy, ready);
      }

      @Override
      public void fail(Copy copy, String why) {
        stopper.stopAsFailure(copy, Duration.ofMillis(copy.assignment().stopGraceMs()), why);
      }
    }, workingDir);
    stopper.onStopping(c -> {
      elect(c, false);
      return probes.stopping(c);
    });
  }

  /**
   * The copy registered, or was found registered by a check after a connection loss: its probes start, and it joins
   * its set's election if it registers as ready.
   */
  void registered(Copy c) {
    probes.start(c);
    if (ProbeScheduler.readyAtRegistration(c.assignment().probesOrNone())) {
      elect(c, true);
    }
  }

  /** The copy's process ended: its probes are forgotten. */
  void ended(Copy c) {
    probes.forget(c);
  }

  /** A copy became ready (joins its set's election) or unready, stopping or ended (leaves it). */
  void elect(Copy copy, boolean ready) {
    if (ready && !copy.isStopping() && !copy.hasExited()) {
      localApi.elections().join(copy);
    } else {
      localApi.elections().leave(copy);
    }
  }

  /** Stops every probe. */
  @Override
  public void close() {
    probes.close();
  }
}
