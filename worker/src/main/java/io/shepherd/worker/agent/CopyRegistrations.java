package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy's registration (its instance created, its assignment RUNNING) sent and settled: a registered copy's probes
 * start and a restart in place is counted, a late copy is killed unannounced, an unknown outcome is looked at again;
 * an exit that waited for the registration is written then.
 *
 * <p>Threads: sent from the agent thread; outcomes arrive on Curator's event thread, or on the agent thread from a
 * {@link RegistrationCheck}.
 */
final class CopyRegistrations {
  private static final Logger LOG = LoggerFactory.getLogger(CopyRegistrations.class);
  private final AgentContext ctx;
  private final InstanceWrites writes;
  private final StopScheduler stopper;
  private final CopyReadiness readiness;
  private final CopyExits exits;
  private final Consumer<String> reconcileLater;

  /** @param reconcileLater posts a look at the instance's assignment and copy to the agent thread */
  CopyRegistrations(AgentContext ctx, InstanceWrites writes, StopScheduler stopper, CopyReadiness readiness,
      CopyExits exits, Consumer<String> reconcileLater) {
    this.ctx = ctx;
    this.writes = writes;
    this.stopper = stopper;
    this.readiness = readiness;
    this.exits = exits;
    this.reconcileLater = reconcileLater;
  }

  /** Sends the copy's registration, checked against the assignment's version read, unless it was sent already. */
  void send(Copy c, int assignmentVersion) {
    if (c.beginRegistration()) {
      writes.register(c, assignmentVersion, rc -> onRegistered(c, rc));
    }
  }

  /** The outcome of a registration, or of a restart in place's transaction, which registers the new copy. */
  void onRegistered(Copy c, int rc) {
    Code code = Code.get(rc);
    if (code == Code.OK) {
      LOG.info("registered {}", c);
      countRestart(c);
      settle(c, Copy.Registration.REGISTERED);
      // A deletion seen while the registration was in flight was left to it; look again.
      reconcileLater.accept(c.instanceId());
    } else if (code == Code.NONODE) {
      settle(c, Copy.Registration.REJECTED);
      stopper.killNow(c, "late copy: its assignment or its replica set is gone");
    } else {
      LOG.warn("registration of {} failed with {}; checking again", c, code);
      settle(c, Copy.Registration.UNKNOWN);
      reconcileLater.accept(c.instanceId());
    }
  }

  /**
   * A registered copy whose assignment counts restarts was restarted in place (at once, or after its backoff): the
   * leader creates every assignment with none. Running again from the exit its record carries, on this clock.
   */
  private void countRestart(Copy c) {
    AssignmentRecord a = c.assignment();
    if (a.restarts() > 0) {
      Duration sinceExit = a.lastExit().map(e -> Duration.between(e.at(), ctx.clock().instant())).orElse(Duration.ZERO);
      ctx.metrics().restartedInPlace(a.replicaSet(), sinceExit);
    }
  }

  /** Settles the registration: the exit if it waited for it, else the probes of a copy found registered. */
  void settle(Copy c, Copy.Registration outcome) {
    if (c.registrationSettled(outcome)) {
      exits.writeExit(c);
    } else if (outcome == Copy.Registration.REGISTERED && !c.isStopping() && !c.hasExited()) {
      // Registered here or found registered by a check after a connection loss: its probes start now.
      readiness.registered(c);
    }
  }
}
