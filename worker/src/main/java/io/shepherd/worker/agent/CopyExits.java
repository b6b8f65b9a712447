package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ends of copies and of assignments: a copy's exit noticed, then written (once no registration is in flight, as
 * {@link Copy} orders them) or turned into a restart in place; and the end of an assignment that never had a copy.
 *
 * <p>Threads: an exit is handled on the exit executor ({@link #watch}); an exit left pending by a registration is
 * written by whoever settles it (Curator's event thread, the agent thread) or by the agent thread's next look.
 * Results of the writes arrive on Curator's event thread.
 */
final class CopyExits {
  private static final Logger LOG = LoggerFactory.getLogger(CopyExits.class);

  /** Restarts an ended copy in place. */
  @FunctionalInterface
  interface RestartInPlace {
    /**
     * True if the copy is taken care of (restarted now, or set to BACKOFF), false if its exit is to be recorded as
     * always; {@code onExitThread}: called by the exit executor.
     */
    boolean restart(Copy c, Copy.Exit exit, AssignmentRecord current, boolean onExitThread);
  }

  private final AgentContext ctx;
  private final CopyTable table;
  private final InstanceWrites writes;
  private final AssignmentCache assignments;
  private final CopyReadiness readiness;
  private final RestartInPlace restartInPlace;
  private final Consumer<Copy> forget;

  /**
   * @param forget what the rest of the agent forgets of a copy once its end is recorded, after its run record and
   *               its place in the table
   */
  CopyExits(AgentContext ctx, CopyTable table, InstanceWrites writes, AssignmentCache assignments,
      CopyReadiness readiness, RestartInPlace restartInPlace, Consumer<Copy> forget) {
    this.ctx = ctx;
    this.table = table;
    this.writes = writes;
    this.assignments = assignments;
    this.readiness = readiness;
    this.restartInPlace = restartInPlace;
    this.forget = forget;
  }

  /** Handles the end of the copy's process on the exit executor. Attach after its registration is queued. */
  void watch(Copy copy) {
    copy.process().onExit().whenCompleteAsync((exitValue, error) -> onExit(copy, exitValue), ctx.exitThread());
  }

  private void onExit(Copy c, Integer exitValue) {
    int code = ExitCodes.fromExitValue(exitValue == null ? -1 : exitValue);
    readiness.ended(c);
    String before = c.toString();
    if (c.exited(new Copy.Exit(code, ctx.clock().instant(), c.stopReason()))) {
      writeExit(c, true);
    }
    // After the restart in place it may have led to, so as not to delay it: leaving the election is a ZooKeeper
    // delete (~0.1 ms of this thread's time at p50, 0.4 ms at p90 on the benchmark's machine), the log line a write.
    readiness.elect(c, false);
    LOG.info("{} ended with exit code {}", before, code);
  }

  /** Records the copy's end, or restarts it in place, if its exit is due; not on the exit executor. */
  void writeExit(Copy c) {
    writeExit(c, false);
  }

  /** Records the copy's end, or restarts it in place; {@code onExitThread}: called by the exit executor. */
  private void writeExit(Copy c, boolean onExitThread) {
    c.beginExitWrite().ifPresent(exit -> {
      Optional<AssignmentRecord> current = assignments.current(c.instanceId());
      if (current.isEmpty() || !restartInPlace.restart(c, exit, current.get(), onExitThread)) {
        recordExit(c, exit);
      }
    });
  }

  /** Records the copy's end as it is: its instance deleted, its assignment EXITED if it is still there. */
  void recordExit(Copy c, Copy.Exit exit) {
    writes.recordExit(c, exit, assignments.holds(c.instanceId()), written -> {
      c.exitWriteSettled(written);
      if (written) {
        ctx.runRecords().delete(c.instanceId());
        table.remove(c);
        forget.accept(c);
      } else {
        LOG.warn("cannot record the end of {} now; it is written again when ZooKeeper is back", c);
      }
    });
  }

  /** Records that the assignment ended without a copy to record the exit of (refused, lost, not startable). */
  void end(AssignmentRecord ended, int version) {
    writes.recordEnd(ended, version, rc -> {
      Code code = Code.get(rc);
      if (code != Code.OK && code != Code.NONODE && code != Code.BADVERSION) {
        LOG.warn("cannot record that assignment {} ended ({}): {}; retried at the next resync", ended.instanceId(),
            ended.reason().orElse(""), code);
        table.unmarkHandled(ended.instanceId());
      }
    });
  }
}
