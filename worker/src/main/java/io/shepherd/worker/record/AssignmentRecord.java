package io.shepherd.worker.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data of {@code /assignments/{nodeId}/{instanceId}}: "run this copy here". The leader creates and deletes
 * it; the agent records the copy's progress in {@code state}, {@code pid}, {@code startedAt}, {@code exitCode}.
 *
 * @param instanceId   the copy's id
 * @param replicaSet   the replica set
 * @param nodeId       the node that runs it
 * @param command      the argv
 * @param env          extra environment
 * @param workingDir   the working directory; empty for a per-copy directory under the agent's data dir
 * @param stopGraceMs  SIGTERM to SIGKILL
 * @param onPartition  what the agent does while it cannot reach ZooKeeper
 * @param specVersion  the spec version this copy runs
 * @param epoch        the controller epoch that created it; agents refuse older epochs
 * @param createdAt    when the leader created it (the launch timeout counts from here)
 * @param state        where it is in its life
 * @param pid          the process id once RUNNING (0 before)
 * @param startedAt    when the process started
 * @param exitedAt     when the process ended
 * @param exitCode     how it ended (a negative number is a signal, -9 for SIGKILL)
 * @param reason       why it ended when not by exiting (refused, failed to start), or why its agent stopped it
 * @param endedByAgent its agent ended it (stopped, refused or lost it: a session change, a restart of the agent, an
 *                     older epoch) rather than the copy ending or failing to start on its own; such an end is not the
 *                     copy's failure and does not count toward its crash-loop backoff
 * @param ports        the ports the leader picked for the copy from its node's range, by the spec's port names, in
 *                     the spec's order (the first is {@code ${PORT}}); fixed for the assignment's life. Empty when the
 *                     spec names no port, and in records written before ports existed
 * @param probes       the spec's startup, liveness and readiness probes, which the agent runs; absent when the spec has
 *                     none, and in records written before probes existed
 * @param failedProbe  its agent stopped it because its liveness or startup probe failed: the copy's failure whatever
 *                     its uptime, so it counts toward the crash-loop backoff ({@code reason} names the probe)
 * @param restartPolicy how its agent restarts the copy in place (absent in older records: the defaults)
 * @param restarts      how many times its agent restarted the copy in place
 * @param lastExit      how the copy's previous process ended, once it was restarted or is waiting to be
 * @param restartWindow the agent's count of restarts within the current window and of crashes in a row
 * @param nextStartAt   when a copy in BACKOFF is started again
 * @param restartRequested the generation of the latest restart a user asked for (0: none)
 * @param restartServed    the generation of the latest requested restart the agent carried out
 * @param revision      the replica set's template revision this copy runs (0 in records written before revisions)
 * @param configFile    the file its agent keeps filled with the set's configuration values, and what the copy is
 *                      told when they change; absent for none
 * @param restartRequestedBy who asked for restart {@code restartRequested} (the API token's name), so that the
 *                      restart's event says so; absent when nobody did, and in records written before it existed
 * @param stopRequestedBy who asked for this copy to be stopped (the API token's name): the leader then deletes the
 *                      assignment as it does a dead one, and its copy is replaced; absent when nobody did
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record AssignmentRecord(
    String instanceId,
    String replicaSet,
    String nodeId,
    List<String> command,
    Map<String, String> env,
    Optional<String> workingDir,
    long stopGraceMs,
    OnPartition onPartition,
    int specVersion,
    long epoch,
    Instant createdAt,
    AssignmentState state,
    long pid,
    Optional<Instant> startedAt,
    Optional<Instant> exitedAt,
    Optional<Integer> exitCode,
    Optional<String> reason,
    boolean endedByAgent,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> ports,
    Probes probes,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean failedProbe,
    LocalRestartPolicy restartPolicy,
    int restarts,
    Optional<LastExit> lastExit,
    Optional<RestartWindow> restartWindow,
    Optional<Instant> nextStartAt,
    long restartRequested,
    long restartServed,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int revision,
    Optional<ConfigFile> configFile,
    Optional<String> restartRequestedBy,
    Optional<String> stopRequestedBy) {

  public AssignmentRecord {
    command = List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
    workingDir = workingDir == null ? Optional.empty() : workingDir;
    onPartition = onPartition == null ? OnPartition.KEEP_RUNNING : onPartition;
    state = state == null ? AssignmentState.ASSIGNED : state;
    startedAt = startedAt == null ? Optional.empty() : startedAt;
    exitedAt = exitedAt == null ? Optional.empty() : exitedAt;
    exitCode = exitCode == null ? Optional.empty() : exitCode;
    reason = reason == null ? Optional.empty() : reason;
    ports = ports == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    probes = probes == null || probes.isEmpty() ? null : probes;
    restartPolicy = restartPolicy == null ? LocalRestartPolicy.DEFAULT : restartPolicy;
    lastExit = lastExit == null ? Optional.empty() : lastExit;
    restartWindow = restartWindow == null ? Optional.empty() : restartWindow;
    nextStartAt = nextStartAt == null ? Optional.empty() : nextStartAt;
    configFile = configFile == null ? Optional.empty() : configFile;
    restartRequestedBy = restartRequestedBy == null ? Optional.empty() : restartRequestedBy;
    stopRequestedBy = stopRequestedBy == null ? Optional.empty() : stopRequestedBy;
  }

  /** An assignment as it was before local restarts: default policy, no restarts. */
  public AssignmentRecord(String instanceId, String replicaSet, String nodeId, List<String> command,
      Map<String, String> env, Optional<String> workingDir, long stopGraceMs, OnPartition onPartition,
      int specVersion, long epoch, Instant createdAt, AssignmentState state, long pid, Optional<Instant> startedAt,
      Optional<Instant> exitedAt, Optional<Integer> exitCode, Optional<String> reason, boolean endedByAgent,
      Map<String, Integer> ports) {
    this(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs, onPartition, specVersion, epoch,
        createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent, ports, null, false, null, 0, null,
        null, null, 0, 0, 0, null, null, null);
  }

  /** An assignment as it was before revisions: revision 0. */
  public AssignmentRecord(String instanceId, String replicaSet, String nodeId, List<String> command,
      Map<String, String> env, Optional<String> workingDir, long stopGraceMs, OnPartition onPartition,
      int specVersion, long epoch, Instant createdAt, AssignmentState state, long pid, Optional<Instant> startedAt,
      Optional<Instant> exitedAt, Optional<Integer> exitCode, Optional<String> reason, boolean endedByAgent,
      Map<String, Integer> ports, Probes probes, boolean failedProbe, LocalRestartPolicy restartPolicy, int restarts,
      Optional<LastExit> lastExit, Optional<RestartWindow> restartWindow, Optional<Instant> nextStartAt,
      long restartRequested, long restartServed) {
    this(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs, onPartition, specVersion, epoch,
        createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent, ports, probes, failedProbe,
        restartPolicy, restarts, lastExit, restartWindow, nextStartAt, restartRequested, restartServed, 0, null, null, null);
  }

  /** This assignment running template revision {@code newRevision}, as the leader creates it. */
  public AssignmentRecord withRevision(int newRevision) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent,
        ports, probes, failedProbe, restartPolicy, restarts, lastExit, restartWindow, nextStartAt, restartRequested,
        restartServed, newRevision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment with the config file its spec asks for, as the leader creates it. */
  public AssignmentRecord withConfigFile(Optional<ConfigFile> file) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent,
        ports, probes, failedProbe, restartPolicy, restarts, lastExit, restartWindow, nextStartAt, restartRequested,
        restartServed, revision, file, restartRequestedBy, stopRequestedBy);
  }

  /** The probes, {@link Probes#NONE} when there are none. */
  public Probes probesOrNone() {
    return probes == null ? Probes.NONE : probes;
  }

  /** This assignment with these probes, as the leader creates it for a spec that has some. */
  public AssignmentRecord withProbes(Probes newProbes) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent,
        ports, newProbes, failedProbe, restartPolicy, restarts, lastExit, restartWindow, nextStartAt, restartRequested,
        restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment with these ports, name to port. */
  public AssignmentRecord withPorts(Map<String, Integer> newPorts) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent,
        newPorts, probes, failedProbe, restartPolicy, restarts, lastExit, restartWindow, nextStartAt, restartRequested,
        restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment with its copy stopped by its agent after a failed probe ({@code why}): the copy's failure. */
  public AssignmentRecord failedProbe(int code, Instant at, String why) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, AssignmentState.EXITED, pid, startedAt, Optional.of(at),
        Optional.of(code), Optional.of(why), false, ports, probes, true, restartPolicy, restarts, lastExit,
        restartWindow, Optional.empty(), restartRequested, restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** A new assignment without ports, as the leader creates it. */
  public static AssignmentRecord assigned(
      String instanceId, String replicaSet, String nodeId, List<String> command, Map<String, String> env,
      Optional<String> workingDir, long stopGraceMs, OnPartition onPartition, int specVersion, long epoch,
      Instant createdAt) {
    return assigned(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs, onPartition, specVersion,
        epoch, createdAt, Map.of());
  }

  /** A new assignment, as the leader creates it, with the ports it picked ({@code ports}, name to port). */
  public static AssignmentRecord assigned(
      String instanceId, String replicaSet, String nodeId, List<String> command, Map<String, String> env,
      Optional<String> workingDir, long stopGraceMs, OnPartition onPartition, int specVersion, long epoch,
      Instant createdAt, Map<String, Integer> ports) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, AssignmentState.ASSIGNED, 0, null, null, null, null, false, ports);
  }

  /** This assignment with its copy running as {@code pid}. */
  public AssignmentRecord running(long newPid, Instant started) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, AssignmentState.RUNNING, newPid, Optional.of(started),
        exitedAt, exitCode, reason, endedByAgent, ports, probes, failedProbe, restartPolicy, restarts, lastExit,
        restartWindow,
        Optional.empty(), restartRequested, restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment with its copy ended by exiting with {@code code}, on its own. */
  public AssignmentRecord exited(int code, Instant at) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, AssignmentState.EXITED, pid, startedAt, Optional.of(at),
        Optional.of(code), reason, false, ports, probes, false, restartPolicy, restarts, lastExit, restartWindow,
        Optional.empty(), restartRequested, restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment with its copy stopped by its agent ({@code why}), ending with {@code code}. */
  public AssignmentRecord stoppedByAgent(int code, Instant at, String why) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, AssignmentState.EXITED, pid, startedAt, Optional.of(at),
        Optional.of(code), Optional.of(why), true, ports, probes, false, restartPolicy, restarts, lastExit,
        restartWindow,
        Optional.empty(), restartRequested, restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment ended because its copy could not be started: the copy's failure. */
  public AssignmentRecord failed(String why, Instant at) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, AssignmentState.EXITED, pid, startedAt, Optional.of(at),
        exitCode, Optional.of(why), false, ports, probes, false, restartPolicy, restarts, lastExit, restartWindow,
        Optional.empty(), restartRequested, restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment ended by its agent's decision without an exit: refused, lost, or its agent restarted. */
  public AssignmentRecord endedByAgent(String why, Instant at) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, AssignmentState.EXITED, pid, startedAt, Optional.of(at),
        exitCode, Optional.of(why), true, ports, probes, false, restartPolicy, restarts, lastExit, restartWindow,
        Optional.empty(), restartRequested, restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment with the restart policy its spec asks for. */
  public AssignmentRecord withRestartPolicy(LocalRestartPolicy policy) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent,
        ports, probes, failedProbe, policy, restarts, lastExit, restartWindow, nextStartAt, restartRequested,
        restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /**
   * This assignment about to run its copy again in place after {@code exit}: one more restart, the agent's new
   * count, and the requested restart it serves (if any). {@link #running} then records the new process.
   */
  public AssignmentRecord restarting(LastExit exit, Optional<RestartWindow> window, long served) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent,
        ports, probes, false, restartPolicy, restarts + 1, Optional.of(exit), window, nextStartAt, restartRequested,
        served, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment waiting out a backoff after {@code exit}: its copy is started again at {@code at}. */
  public AssignmentRecord backoff(LastExit exit, Optional<RestartWindow> window, Instant at) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, AssignmentState.BACKOFF, 0, startedAt, Optional.of(exit.at()),
        Optional.of(exit.code()), reason, false, ports, probes, failedProbe, restartPolicy, restarts,
        Optional.of(exit), window,
        Optional.of(at), restartRequested, restartServed, revision, configFile, restartRequestedBy, stopRequestedBy);
  }

  /** This assignment with a restart asked for by a user: generation {@code generation}, asked by whoever asked before. */
  public AssignmentRecord withRestartRequested(long generation) {
    return withRestartRequested(generation, restartRequestedBy);
  }

  /** This assignment with a restart asked for by {@code by} (a principal's name): generation {@code generation}. */
  public AssignmentRecord withRestartRequested(long generation, Optional<String> by) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent,
        ports, probes, failedProbe, restartPolicy, restarts, lastExit, restartWindow, nextStartAt, generation,
        restartServed, revision, configFile, by, stopRequestedBy);
  }

  /** This assignment with its copy's stop asked for by {@code by} (a principal's name). */
  public AssignmentRecord withStopRequested(String by) {
    return new AssignmentRecord(instanceId, replicaSet, nodeId, command, env, workingDir, stopGraceMs,
        onPartition, specVersion, epoch, createdAt, state, pid, startedAt, exitedAt, exitCode, reason, endedByAgent,
        ports, probes, failedProbe, restartPolicy, restarts, lastExit, restartWindow, nextStartAt, restartRequested,
        restartServed, revision, configFile, restartRequestedBy, Optional.of(by));
  }
}
