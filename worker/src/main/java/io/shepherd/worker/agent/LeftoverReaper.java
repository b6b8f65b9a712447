package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.Znodes;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the copies a previous run of this agent left (its {@link RunRecord}s) and ends them: first the processes,
 * locally and before anything else; then, once ZooKeeper is reachable, their instances and assignments.
 *
 * <p>A pid is signalled only if it is alive <em>and</em> started when the record says (within
 * {@link #START_TOLERANCE}: the JDK derives start instants from the boot time, which moves if the clock is
 * stepped): pids get reused.
 */
final class LeftoverReaper {
  private static final Logger LOG = LoggerFactory.getLogger(LeftoverReaper.class);
  static final Duration START_TOLERANCE = Duration.ofSeconds(1);
  /** However long a leftover's grace was, an agent start waits no longer than this for it. */
  static final Duration MAX_GRACE = Duration.ofSeconds(60);
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private final RunRecords records;
  private final Clock clock;

  LeftoverReaper(RunRecords records, Clock clock) {
    this.records = records;
    this.clock = clock;
  }

  /**
   * Stops every live leftover process (SIGTERM, its grace, SIGKILL to it and its descendants) and returns every
   * leftover record, for {@link #clean}. Blocks for at most the longest grace (capped at {@link #MAX_GRACE}).
   */
  List<RunRecord> stopLeftovers() throws IOException, InterruptedException {
    List<RunRecord> leftovers = records.list();
    List<Stopping> stopping = new ArrayList<>();
    for (RunRecord r : leftovers) {
      liveProcess(r).ifPresent(p -> {
        LOG.warn("stopping pid {} ({} of {}), left by a previous run of this agent", r.pid(), r.instanceId(),
            r.replicaSet());
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroy();
        long grace = Math.min(Math.max(0, r.stopGraceMs()), MAX_GRACE.toMillis());
        stopping.add(new Stopping(p, descendants, clock.instant().plusMillis(grace)));
      });
    }
    for (Stopping s : stopping) {
      await(s.process(), Duration.between(clock.instant(), s.killAt()));
      s.process().destroyForcibly();
      s.descendants().forEach(ProcessHandle::destroyForcibly);
      if (!await(s.process(), KILL_WAIT)) {
        LOG.error("pid {} survived SIGKILL for {}", s.process().pid(), KILL_WAIT);
      }
    }
    return leftovers;
  }

  /**
   * Deletes the leftover's instance znode (whatever session owns it: it was ours), marks its assignment
   * ended by the agent ("agent restarted") unless it already ended, and deletes the record.
   *
   * @throws Exception on ZooKeeper errors: the record stays, to be cleaned again
   */
  void clean(RunRecord r, CuratorFramework client, ZkLayout layout, String nodeId) throws Exception {
    try {
      client.delete().forPath(layout.instance(r.replicaSet(), r.instanceId()));
    } catch (KeeperException.NoNodeException e) {
      LOG.debug("leftover {} had no instance", r.instanceId());
    }
    String path = layout.assignment(nodeId, r.instanceId());
    Stat stat = new Stat();
    try {
      AssignmentRecord a = Znodes.ASSIGNMENT.decode(client.getData().storingStatIn(stat).forPath(path));
      if (a.state() != AssignmentState.EXITED) {
        client.setData().withVersion(stat.getVersion())
            .forPath(path, Znodes.ASSIGNMENT.encode(a.endedByAgent("agent restarted", clock.instant())));
      }
    } catch (KeeperException.NoNodeException e) {
      LOG.debug("leftover {} had no assignment", r.instanceId());
    }
    records.delete(r.instanceId());
  }

  private Optional<ProcessHandle> liveProcess(RunRecord r) {
    if (r.launcher() != LauncherMode.PROCESS || r.pid() == ProcessHandle.current().pid()
        || r.processStart().isEmpty()) {
      return Optional.empty();
    }
    Instant recorded = r.processStart().get();
    return ProcessHandle.of(r.pid())
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().startInstant()
            .map(actual -> Duration.between(recorded, actual).abs().compareTo(START_TOLERANCE) <= 0)
            .orElse(false));
  }

  private static boolean await(ProcessHandle p, Duration timeout) throws InterruptedException {
    if (timeout.isNegative() || timeout.isZero()) {
      return !p.isAlive();
    }
    try {
      p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for pid " + p.pid(), e);
    }
  }

  private record Stopping(ProcessHandle process, List<ProcessHandle> descendants, Instant killAt) {}
}
