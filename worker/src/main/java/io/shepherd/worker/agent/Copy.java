package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * One copy this agent started, and how far ZooKeeper knows about it. Thread-safe: the agent thread, the exit
 * thread and Curator's event thread all move it on, each transition under this object's lock.
 *
 * <p>Two writes must never overtake each other: the registration (create the instance) and the exit (delete it).
 * ZooKeeper applies one session's requests in order, but Curator retries a failed request later, so the exit is
 * only written once no registration is in flight.
 */
final class Copy {
  /** Where the instance registration stands. */
  enum Registration {
    /** Not sent yet, or its outcome is unknown (connection loss): the next resync reads ZooKeeper to find out. */
    UNKNOWN,
    IN_FLIGHT,
    REGISTERED,
    /** The assignment or the replica set was gone: a late copy, never announced. */
    REJECTED
  }

  /** Where the exit record stands. */
  enum ExitWrite { NONE, IN_FLIGHT, FAILED, DONE }

  /** How the copy ended. */
  /** How the copy ended; {@code stoppedBecause} is present when its agent was stopping it. */
  record Exit(int code, Instant at, Optional<String> stoppedBecause) {}

  private final AssignmentRecord assignment;
  private final CopyProcess process;
  private Registration registration = Registration.UNKNOWN;
  private ExitWrite exitWrite = ExitWrite.NONE;
  private Optional<String> stopReason = Optional.empty();
  private boolean stopIsFailure;
  private Optional<Instant> killAt = Optional.empty();
  private Optional<Exit> exit = Optional.empty();

  Copy(AssignmentRecord assignment, CopyProcess process) {
    this.assignment = assignment;
    this.process = process;
  }

  String instanceId() {
    return assignment.instanceId();
  }

  String replicaSet() {
    return assignment.replicaSet();
  }

  /** The assignment as it was when the copy was launched. */
  AssignmentRecord assignment() {
    return assignment;
  }

  CopyProcess process() {
    return process;
  }

  /** The assignment as the agent records it once the copy runs. */
  AssignmentRecord runningRecord() {
    return assignment.running(process.pid(), process.startedAt());
  }

  InstanceRecord instanceRecord(String host) {
    return new InstanceRecord(assignment.instanceId(), assignment.replicaSet(), assignment.nodeId(), host,
        process.pid(), process.startedAt(), assignment.specVersion(), assignment.ports(),
        ProbeScheduler.readyAtRegistration(assignment.probesOrNone()), assignment.revision());
  }

  /** Claims the right to send the registration; false if it is in flight or settled, or the copy ended. */
  synchronized boolean beginRegistration() {
    if (registration != Registration.UNKNOWN || exit.isPresent() || stopReason.isPresent()) {
      return false;
    }
    registration = Registration.IN_FLIGHT;
    return true;
  }

  /** Settles the registration; true if the exit record is now due. */
  synchronized boolean registrationSettled(Registration outcome) {
    registration = outcome;
    return exitDue();
  }

  synchronized Registration registration() {
    return registration;
  }

  /** Whether an instance znode of this copy may exist: unless it was never sent or was rejected. */
  synchronized boolean instanceMayExist() {
    return registration != Registration.REJECTED;
  }

  /** Records that the copy is to stop; returns whether {@code deadline} is earlier than any kill already planned. */
  synchronized boolean stopping(String reason, Instant deadline) {
    if (stopReason.isEmpty()) {
      stopReason = Optional.of(reason);
    }
    if (killAt.isPresent() && !deadline.isBefore(killAt.get())) {
      return false;
    }
    killAt = Optional.of(deadline);
    return true;
  }

  /**
   * Records that the copy is to stop because it failed (a probe): its end is then its failure, not its agent's
   * choice. False, and nothing changes, if it is already stopping for another reason.
   */
  synchronized boolean failing(String reason) {
    if (stopReason.isPresent()) {
      return false;
    }
    stopReason = Optional.of(reason);
    stopIsFailure = true;
    return true;
  }

  /** Whether its agent stops it because it failed ({@link #failing}). */
  synchronized boolean stopIsFailure() {
    return stopIsFailure;
  }

  synchronized boolean isStopping() {
    return stopReason.isPresent();
  }

  /** Why its agent is stopping it; empty if it is not. */
  synchronized Optional<String> stopReason() {
    return stopReason;
  }

  /** Records the end of the process; true if the exit record is now due. */
  synchronized boolean exited(Exit how) {
    exit = Optional.of(how);
    return exitDue();
  }

  synchronized boolean hasExited() {
    return exit.isPresent();
  }

  /** Claims the right to write the exit record, and returns the exit to write. */
  synchronized Optional<Exit> beginExitWrite() {
    if (!exitDue()) {
      return Optional.empty();
    }
    exitWrite = ExitWrite.IN_FLIGHT;
    return exit;
  }

  synchronized void exitWriteSettled(boolean written) {
    exitWrite = written ? ExitWrite.DONE : ExitWrite.FAILED;
  }

  /** Whether the exit happened but its record still has to be written (or written again). */
  synchronized boolean exitWritePending() {
    return exitDue();
  }

  private boolean exitDue() {
    return exit.isPresent() && registration != Registration.IN_FLIGHT
        && (exitWrite == ExitWrite.NONE || exitWrite == ExitWrite.FAILED);
  }

  @Override
  public synchronized String toString() {
    return "copy " + assignment.instanceId() + " of " + assignment.replicaSet() + " (pid " + process.pid() + ", "
        + registration + stopReason.map(r -> ", stopping: " + r).orElse("")
        + exit.map(e -> ", exited " + e.code()).orElse("") + ")";
  }
}
