package io.shepherd.worker.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * What the agent writes to {@code {dataDir}/run/{instanceId}.json} before it registers a copy, and deletes once
 * the copy is gone and recorded: how a restarted agent finds the copies its previous run left.
 *
 * @param instanceId   the copy
 * @param replicaSet   its replica set (to find its instance znode)
 * @param pid          its pid
 * @param processStart the operating system's start instant of that pid; empty if there is no process of its own
 *                     ({@link LauncherMode#REGISTER_ONLY}) — then the pid is never signalled
 * @param stopGraceMs  SIGTERM to SIGKILL, when the leftover is stopped
 * @param launcher     how it was started
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
record RunRecord(
    String instanceId, String replicaSet, long pid, Optional<Instant> processStart, long stopGraceMs,
    LauncherMode launcher) {

  RunRecord {
    processStart = processStart == null ? Optional.empty() : processStart;
    launcher = launcher == null ? LauncherMode.PROCESS : launcher;
  }
}
