package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a user declares: run {@code command} (an argv, never a shell line), {@code replicas} copies.
 *
 * <p>Optional fields are filled with their defaults by the constructor, so a spec read from JSON never
 * carries nulls except in {@code replicas} and {@code command}, which have no default and are checked by
 * {@link SpecValidation}.
 *
 * @param replicas       how many copies to keep running (0..10000)
 * @param command        the argv to launch; element 0 is the program
 * @param env            environment variables added to the agent's environment
 * @param workingDir     the copy's working directory; empty means a per-copy directory under the agent's data dir
 * @param stopGraceMs    how long a stopping copy gets between SIGTERM and SIGKILL
 * @param nodeSelector   labels a node must carry to run a copy
 * @param partitionPolicy what a copy does while its agent cannot reach ZooKeeper
 * @param crashLoop      when an exit counts as a crash, and how restarts back off
 * @param ports          the ports each copy listens on, by name; the leader picks their numbers per copy
 * @param restart        how the copy's agent restarts it in place when it exits
 * @param startup        a probe that must pass before liveness and readiness run; absent for none
 * @param liveness       a probe whose failure stops the copy (a failure of the copy); absent for none
 * @param readiness      a probe that says whether the copy is ready for clients; absent: ready once it runs
 * @param rollout        how a changed template is rolled out; not part of the template
 * @param expose         the port every agent's gateway forwards to the set's ready copies; absent: not exposed
 * @param configFile     a file in the copy's working directory its agent keeps filled with the set's configuration
 *                       values, and what the copy is told when they change; absent for none
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record ReplicaSetSpec(
    Integer replicas,
    List<String> command,
    Map<String, String> env,
    Optional<String> workingDir,
    Long stopGraceMs,
    Map<String, String> nodeSelector,
    PartitionPolicy partitionPolicy,
    CrashLoopPolicy crashLoop,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PortSpec> ports,
    RestartPolicy restart,
    Probe startup,
    Probe liveness,
    Probe readiness,
    RolloutPolicy rollout,
    Expose expose,
    ConfigFileSpec configFile) {

  public static final long DEFAULT_STOP_GRACE_MS = 10_000;

  public ReplicaSetSpec {
    env = env == null ? Map.of() : Map.copyOf(env);
    workingDir = workingDir == null ? Optional.empty() : workingDir;
    stopGraceMs = stopGraceMs == null ? DEFAULT_STOP_GRACE_MS : stopGraceMs;
    nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    partitionPolicy = partitionPolicy == null ? PartitionPolicy.KEEP_RUNNING : partitionPolicy;
    crashLoop = crashLoop == null ? CrashLoopPolicy.DEFAULT : crashLoop;
    restart = restart == null ? RestartPolicy.DEFAULT : restart;
    rollout = rollout == null ? RolloutPolicy.DEFAULT : rollout;
    // Nulls inside the argv survive construction so that validation can name the element.
    command = command == null ? null : Collections.unmodifiableList(new ArrayList<>(command));
    // Like the argv's, null elements survive so that validation can name them.
    ports = ports == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(ports));
  }

  /** A spec with the default rollout policy, not exposed. */
  public ReplicaSetSpec(Integer replicas, List<String> command, Map<String, String> env, Optional<String> workingDir,
      Long stopGraceMs, Map<String, String> nodeSelector, PartitionPolicy partitionPolicy, CrashLoopPolicy crashLoop,
      List<PortSpec> ports, RestartPolicy restart, Probe startup, Probe liveness, Probe readiness) {
    this(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy, crashLoop, ports, restart,
        startup, liveness, readiness, null, null, null);
  }

  /** A spec with a rollout policy, not exposed. */
  public ReplicaSetSpec(Integer replicas, List<String> command, Map<String, String> env, Optional<String> workingDir,
      Long stopGraceMs, Map<String, String> nodeSelector, PartitionPolicy partitionPolicy, CrashLoopPolicy crashLoop,
      List<PortSpec> ports, RestartPolicy restart, Probe startup, Probe liveness, Probe readiness,
      RolloutPolicy rollout) {
    this(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy, crashLoop, ports, restart,
        startup, liveness, readiness, rollout, null, null);
  }

  /** A spec exposed as {@code expose}, with the default rollout policy. */
  public ReplicaSetSpec(Integer replicas, List<String> command, Map<String, String> env, Optional<String> workingDir,
      Long stopGraceMs, Map<String, String> nodeSelector, PartitionPolicy partitionPolicy, CrashLoopPolicy crashLoop,
      List<PortSpec> ports, RestartPolicy restart, Probe startup, Probe liveness, Probe readiness, Expose expose) {
    this(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy, crashLoop, ports, restart,
        startup, liveness, readiness, null, expose, null);
  }

  /** A spec with probes and the default restart policy. */
  public ReplicaSetSpec(Integer replicas, List<String> command, Map<String, String> env, Optional<String> workingDir,
      Long stopGraceMs, Map<String, String> nodeSelector, PartitionPolicy partitionPolicy, CrashLoopPolicy crashLoop,
      List<PortSpec> ports, Probe startup, Probe liveness, Probe readiness) {
    this(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy, crashLoop, ports, null,
        startup, liveness, readiness);
  }

  /** A spec with a restart policy and no probes. */
  public ReplicaSetSpec(Integer replicas, List<String> command, Map<String, String> env, Optional<String> workingDir,
      Long stopGraceMs, Map<String, String> nodeSelector, PartitionPolicy partitionPolicy, CrashLoopPolicy crashLoop,
      List<PortSpec> ports, RestartPolicy restart) {
    this(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy, crashLoop, ports, restart,
        null, null, null);
  }

  /** A spec without probes and with the default restart policy. */
  public ReplicaSetSpec(Integer replicas, List<String> command, Map<String, String> env, Optional<String> workingDir,
      Long stopGraceMs, Map<String, String> nodeSelector, PartitionPolicy partitionPolicy, CrashLoopPolicy crashLoop,
      List<PortSpec> ports) {
    this(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy, crashLoop, ports,
        (RestartPolicy) null);
  }

  /** A spec without ports: the fields as they were before ports existed. */
  public ReplicaSetSpec(Integer replicas, List<String> command, Map<String, String> env, Optional<String> workingDir,
      Long stopGraceMs, Map<String, String> nodeSelector, PartitionPolicy partitionPolicy, CrashLoopPolicy crashLoop) {
    this(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy, crashLoop, null);
  }

  /** A spec with defaults for everything but the count and the argv. */
  public static ReplicaSetSpec of(int replicas, List<String> command) {
    return new ReplicaSetSpec(replicas, command, null, null, null, null, null, null, null);
  }

  public ReplicaSetSpec withReplicas(int newReplicas) {
    return new ReplicaSetSpec(newReplicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy,
        crashLoop, ports, restart, startup, liveness, readiness, rollout, expose, configFile);
  }

  public ReplicaSetSpec withEnv(Map<String, String> newEnv) {
    return new ReplicaSetSpec(replicas, command, newEnv, workingDir, stopGraceMs, nodeSelector, partitionPolicy,
        crashLoop, ports, restart, startup, liveness, readiness, rollout, expose, configFile);
  }

  public ReplicaSetSpec withStopGraceMs(long newStopGraceMs) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, newStopGraceMs, nodeSelector, partitionPolicy,
        crashLoop, ports, restart, startup, liveness, readiness, rollout, expose, configFile);
  }

  public ReplicaSetSpec withNodeSelector(Map<String, String> newSelector) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, stopGraceMs, newSelector, partitionPolicy,
        crashLoop, ports, restart, startup, liveness, readiness, rollout, expose, configFile);
  }

  public ReplicaSetSpec withPartitionPolicy(PartitionPolicy policy) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, stopGraceMs, nodeSelector, policy,
        crashLoop, ports, restart, startup, liveness, readiness, rollout, expose, configFile);
  }

  public ReplicaSetSpec withCrashLoop(CrashLoopPolicy policy) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy,
        policy, ports, restart, startup, liveness, readiness, rollout, expose, configFile);
  }

  public ReplicaSetSpec withPorts(List<PortSpec> newPorts) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy,
        crashLoop, newPorts, restart, startup, liveness, readiness, rollout, expose, configFile);
  }

  public ReplicaSetSpec withRestart(RestartPolicy policy) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy,
        crashLoop, ports, policy, startup, liveness, readiness, rollout, expose, configFile);
  }

  /** This spec with these probes (each may be null: none). */
  public ReplicaSetSpec withProbes(Probe newStartup, Probe newLiveness, Probe newReadiness) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy,
        crashLoop, ports, restart, newStartup, newLiveness, newReadiness, rollout, expose, configFile);
  }

  public ReplicaSetSpec withRollout(RolloutPolicy policy) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy,
        crashLoop, ports, restart, startup, liveness, readiness, policy, expose, configFile);
  }

  /** This spec exposed as {@code newExpose} (null: not exposed). */
  public ReplicaSetSpec withExpose(Expose newExpose) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy,
        crashLoop, ports, restart, startup, liveness, readiness, rollout, newExpose, configFile);
  }

  /** This spec with this config file (null: none). */
  public ReplicaSetSpec withConfigFile(ConfigFileSpec newConfigFile) {
    return new ReplicaSetSpec(replicas, command, env, workingDir, stopGraceMs, nodeSelector, partitionPolicy,
        crashLoop, ports, restart, startup, liveness, readiness, rollout, expose, newConfigFile);
  }

  /**
   * Whether {@code other} has the same template: everything but {@code replicas}, {@code rollout} and {@code expose}.
   * A change of the template makes a new revision and a rollout; scaling, a new rollout policy or another exposed port
   * does not (copies never see {@code expose}: the gateways do).
   */
  public boolean sameTemplate(ReplicaSetSpec other) {
    return withReplicas(0).withRollout(RolloutPolicy.DEFAULT).withExpose(null)
        .equals(other.withReplicas(0).withRollout(RolloutPolicy.DEFAULT).withExpose(null));
  }

  /** The port names, in the spec's order. */
  public List<String> portNames() {
    return ports.stream().map(PortSpec::name).toList();
  }
}
