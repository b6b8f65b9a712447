package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts ended copies where they ran, as {@link RestartTracker} decides through {@link LocalRestarts}: at once, on
 * the thread that handles the exit, swapping the instances in one transaction; or after a backoff, the assignment set
 * to BACKOFF and the copy started again by the agent thread once its time has come.
 *
 * <p>Shares the supervisor's lock: {@code relaunching} is held by a restart at once from its check of {@code closed}
 * until its copy is in the table, and {@link CopySupervisor#quiesce} sets {@code closed} under it, so that no copy
 * starts unseen by an agent's last stop.
 */
final class InPlaceRestarts {
  private static final Logger LOG = LoggerFactory.getLogger(InPlaceRestarts.class);
  private final AgentContext ctx;
  private final CopyTable table;
  private final InstanceWrites writes;
  private final StopScheduler stopper;
  private final CopyStarter starter;
  private final CopyRegistrations registrations;
  private final CopyExits exits;
  private final ObjIntConsumer<AssignmentRecord> launch;
  private final Consumer<String> reconcileLater;
  private final BooleanSupplier closed;
  private final Object relaunching;

  /**
   * @param launch         launches a copy of the assignment as a new one, with the version read (a copy after its
   *                       backoff); agent thread
   * @param reconcileLater posts a look at the instance's assignment and copy to the agent thread
   * @param closed         whether the supervisor no longer starts copies
   * @param relaunching    the supervisor's lock, held from a check of {@code closed} until the copy is in the table
   */
  InPlaceRestarts(AgentContext ctx, CopyTable table, InstanceWrites writes, StopScheduler stopper, CopyStarter starter,
      CopyRegistrations registrations, CopyExits exits, ObjIntConsumer<AssignmentRecord> launch,
      Consumer<String> reconcileLater, BooleanSupplier closed, Object relaunching) {
    this.ctx = ctx;
    this.table = table;
    this.writes = writes;
    this.stopper = stopper;
    this.starter = starter;
    this.registrations = registrations;
    this.exits = exits;
    this.launch = launch;
    this.reconcileLater = reconcileLater;
    this.closed = closed;
    this.relaunching = relaunching;
  }

  /**
   * A copy waiting out its backoff: started again once its time has come (once per backoff: the key is its restart
   * count), registered with a check on the version read, as a new assignment is. Agent thread only.
   */
  void startAfterBackoff(AssignmentRecord a, int version) {
    String key = a.instanceId() + "@" + a.restarts();
    if (table.isHandled(key)) {
      return;
    }
    Instant now = ctx.clock().instant();
    Instant at = a.nextStartAt().orElse(now);
    // A restart a user asked for while the copy waits is served at once.
    boolean requested = a.restartRequested() > a.restartServed();
    if (now.isBefore(at) && !requested) {
      try {
        stopper.after(Duration.between(now, at), () -> reconcileLater.accept(a.instanceId()));
      } catch (RejectedExecutionException e) {
        LOG.debug("not waiting for the backoff of {}: the agent is stopping", a.instanceId());
      }
      return;
    }
    if (!ctx.connected()) {
      return; // the next sync looks again
    }
    table.markHandled(key);
    table.markHandled(a.instanceId());
    LOG.info("restarting {} of {} after its backoff", a.instanceId(), a.replicaSet());
    launch.accept(a.restarting(a.lastExit().orElseThrow(), a.restartWindow(),
        requested ? a.restartRequested() : a.restartServed()), version);
  }

  /**
   * Decides whether an ended copy is restarted in place; true if it is taken care of (restarted now, or set to
   * BACKOFF), false if its exit is to be recorded as always. {@code onExitThread}: called by the exit executor.
   */
  boolean restartInPlace(Copy c, Copy.Exit exit, AssignmentRecord current, boolean onExitThread) {
    // The cache may not show this copy's own registration yet: its record is the copy's, the cache's only adds a
    // restart request. Disconnected, the agent cannot tell a session change from a blip: the exit is recorded as
    // always, later.
    if (closed.getAsBoolean() || !ctx.connected() || c.registration() != Copy.Registration.REGISTERED
        || current.state() == AssignmentState.EXITED) {
      return false;
    }
    AssignmentRecord running = LocalRestarts.base(c.runningRecord(), current);
    RestartTracker.Exit ended = LocalRestarts.exitOf(running, exit, c.stopIsFailure());
    RestartTracker.Decision decision = LocalRestarts.decide(running, ended, ctx.clock().instant());
    if (decision instanceof RestartTracker.GiveUp giveUp) {
      if (ended.ending() == RestartTracker.Ending.EXITED) {
        LOG.info("{} is given back to the leader: {}", c, giveUp.reason());
      }
      return false;
    }
    if (decision instanceof RestartTracker.RestartAt later) {
      AssignmentRecord waiting = running.backoff(LocalRestarts.lastExit(ended), Optional.of(later.window()),
          later.at());
      LOG.info("{} ended with {}; restarting it in place at {} ({})", c, exit.code(), later.at(), later.reason());
      writes.recordEnded(c, waiting, true, written -> {
        c.exitWriteSettled(written);
        if (written) {
          ctx.runRecords().delete(c.instanceId());
          table.remove(c);
          reconcileLater.accept(c.instanceId());
        }
      });
      return true;
    }
    RestartTracker.RestartNow now = (RestartTracker.RestartNow) decision;
    long served = now.reason() == RestartTracker.Reason.REQUESTED ? running.restartRequested()
        : running.restartServed();
    AssignmentRecord next = running.restarting(LocalRestarts.lastExit(ended), now.window(), served);
    // Started by the exit executor, at once if this is it: a hand-off to the agent thread would cost a wake-up, and
    // the agent thread may be busy with other copies' events. Logged once it runs.
    if (onExitThread) {
      relaunch(c, exit, next, now.reason());
    } else {
      try {
        ctx.exitThread().execute(() -> relaunch(c, exit, next, now.reason()));
      } catch (RejectedExecutionException e) {
        exits.recordExit(c, exit); // the agent is closing
      }
    }
    return true;
  }

  /**
   * Starts {@code ended}'s copy again as {@code next} and swaps the instances in one transaction. On the thread that
   * handles the exit. The process first; its run record, the table and the transaction after it.
   */
  private void relaunch(Copy ended, Copy.Exit exit, AssignmentRecord next, RestartTracker.Reason reason) {
    Copy copy;
    synchronized (relaunching) {
      Optional<CopyProcess> started = closed.getAsBoolean() ? Optional.empty() : starter.start(next, why -> { });
      if (started.isEmpty()) {
        // Cannot start it again here: given back, as an exit.
        exits.recordExit(ended, exit);
        return;
      }
      CopyProcess process = started.get();
      copy = new Copy(next, process);
      try {
        starter.writeRunRecord(next, process);
      } catch (IOException e) {
        LOG.error("cannot write the run record of {}; killing it", copy, e);
        process.kill();
        exits.recordExit(ended, exit);
        return;
      }
      // In flight before the agent thread can see it, so that it never starts a registration check of its own.
      copy.beginRegistration();
      table.replace(ended, copy);
    }
    LOG.info("{} ended with {}; restarted it in place ({}) as pid {}", ended, exit.code(), reason,
        copy.process().pid());
    writes.restart(ended, copy, rc -> {
      Code code = Code.get(rc);
      if (code == Code.NONODE) {
        // The assignment is gone: the old instance is deleted on its own, the new copy is a late copy.
        writes.recordExit(ended, exit, false, ended::exitWriteSettled);
      } else {
        ended.exitWriteSettled(true);
      }
      registrations.onRegistered(copy, rc);
    });
    exits.watch(copy);
  }
}
