package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkPath;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's copies in line with its assignments: one {@link CuratorCache} on {@code /assignments/{nodeId}},
 * whose events only post the instance id to the agent thread, where {@link #reconcile} compares the cache with
 * the local copy and acts. Level-triggered: {@link #resyncAll} runs the same comparison for everything.
 *
 * <p>Threads: {@link #reconcile} and {@link #resyncAll} run on the agent thread only. Exits are handled on the exit
 * executor and their writes go out at once, never queued behind the agent thread. Stops may come from any thread.
 */
final class CopySupervisor implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(CopySupervisor.class);
  private final AgentContext ctx;
  private final CopyTable table;
  private final InstanceWrites writes;
  private final StopScheduler stopper;
  private final RegistrationCheck registrationCheck;
  private final CuratorCache cache;
  private final ProbeScheduler probes;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean initialized;

  CopySupervisor(AgentContext ctx, CopyTable table, StopScheduler stopper) {
    this.ctx = ctx;
    this.table = table;
    this.stopper = stopper;
    this.writes = new InstanceWrites(ctx.client(), ctx.layout(), ctx.config().nodeId(), ctx.config().host());
    this.registrationCheck = new RegistrationCheck(ctx, writes, stopper, this::sendRegistration, this::settle);
    ReadinessWrites readiness = new ReadinessWrites(ctx.client(), writes, ctx.config().host());
    this.probes = new ProbeScheduler(ctx.clock(), new ProbeScheduler.Effects() {
      @Override
      public void setReady(Copy copy, boolean ready) {
        readiness.setReady(copy, ready);
      }

      @Override
      public void fail(Copy copy, String why) {
        stopper.stopAsFailure(copy, Duration.ofMillis(copy.assignment().stopGraceMs()), why);
      }
    }, this::workingDirOf);
    stopper.onStopping(probes::stopping);
    this.cache = CuratorCache.build(ctx.client(), ctx.layout().assignmentsOf(ctx.config().nodeId()));
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, oldData, data) -> instanceIdOf(data != null ? data : oldData).ifPresent(this::post))
        .forInitialized(() -> {
          initialized = true;
          ctx.agentThread().execute(this::resyncAll);
        })
        .build());
  }

  /** Starts watching the assignments; idempotent. */
  void start() {
    if (started.compareAndSet(false, true)) {
      cache.start();
    }
  }

  /** Compares every copy and every assignment. Agent thread only. */
  void resyncAll() {
    if (closed.get() || !initialized) {
      return;
    }
    table.ids().forEach(this::reconcile);
    cache.stream().forEach(d -> instanceIdOf(d).ifPresent(this::reconcile));
  }

  /** Compares one assignment with its copy and acts. Agent thread only. */
  void reconcile(String instanceId) {
    if (closed.get()) {
      return;
    }
    Optional<ChildData> data = cache.get(writes.assignmentPath(instanceId));
    Optional<Copy> copy = table.get(instanceId);
    if (copy.isPresent()) {
      reconcileCopy(copy.get(), data.isPresent());
      return;
    }
    if (data.isEmpty()) {
      table.forget(instanceId);
      return;
    }
    if (table.isHandled(instanceId)) {
      return;
    }
    Optional<AssignmentRecord> record = decode(data.get());
    if (record.isEmpty()) {
      table.markHandled(instanceId);
      return;
    }
    int version = data.get().getStat().getVersion();
    AssignmentRecord a = record.get();
    if (a.state() == AssignmentState.ASSIGNED) {
      admit(a, version, data.get().getStat().getCzxid());
    } else if (a.state() == AssignmentState.RUNNING && initialized && table.markHandled(instanceId)) {
      // RUNNING here but unknown to this run, and no leftover record explained it: it is not running.
      end(a.endedByAgent("not running on this node (the agent lost it)", ctx.clock().instant()), version);
    } else {
      table.markHandled(instanceId);
    }
  }

  /** SIGTERM to every copy now, SIGKILL after each one's grace. Any thread. */
  void stopAll(String reason, Function<Copy, Duration> grace) {
    table.all().forEach(c -> stopper.stop(c, grace.apply(c), reason));
  }

  /** Stops the copies whose replica set chose {@link OnPartition#STOP}, within {@code maxGrace}. Any thread. */
  void stopPartitionSensitive(Duration maxGrace) {
    for (Copy c : table.all()) {
      if (c.assignment().onPartition() == OnPartition.STOP) {
        Duration grace = Duration.ofMillis(Math.min(c.assignment().stopGraceMs(), maxGrace.toMillis()));
        stopper.stop(c, grace, "ZooKeeper unreachable and the partition policy is STOP");
      }
    }
  }

  private void reconcileCopy(Copy c, boolean assignmentExists) {
    if (c.exitWritePending()) {
      writeExit(c);
      return;
    }
    if (c.hasExited() || c.isStopping()) {
      return;
    }
    switch (c.registration()) {
      case REGISTERED -> {
        if (!assignmentExists && initialized) {
          stopper.stop(c, Duration.ofMillis(c.assignment().stopGraceMs()), "assignment deleted");
        }
      }
      case UNKNOWN -> {
        if (ctx.connected()) {
          registrationCheck.verify(c);
        }
      }
      // The registration's outcome decides: a vanished assignment makes it fail, and the copy is killed unannounced.
      case IN_FLIGHT, REJECTED -> { }
    }
  }

  private void admit(AssignmentRecord a, int version, long createdAtZxid) {
    Admission decision =
        Admission.decide(a, createdAtZxid, ctx.epoch(), table.size(), ctx.config().capacity(), ctx.connected());
    if (decision instanceof Admission.Defer defer) {
      LOG.debug("assignment {} deferred: {}", a.instanceId(), defer.detail());
    } else if (decision instanceof Admission.Refuse refuse) {
      table.markHandled(a.instanceId());
      LOG.warn("refusing assignment {} of {}: {}", a.instanceId(), a.replicaSet(), refuse.detail());
      end(a.endedByAgent(refuse.detail(), ctx.clock().instant()), version);
    } else {
      table.markHandled(a.instanceId());
      launch(a, version);
    }
  }

  private void launch(AssignmentRecord a, int version) {
    String id = a.instanceId();
    if (ctx.launcher().mode() == LauncherMode.PROCESS) {
      // A copy whose port is taken would only crash; its failure names the port, and its replacement gets another.
      Optional<String> taken = CopyPorts.unavailable(a, CopyPorts::bindable);
      if (taken.isPresent()) {
        LOG.warn("cannot start {} of {}: {}", id, a.replicaSet(), taken.get());
        end(a.failed(taken.get(), ctx.clock().instant()), version);
        return;
      }
    }
    CopyProcess process;
    try {
      Path workingDir = workingDirOf(a);
      if (a.workingDir().isEmpty()) {
        Files.createDirectories(workingDir);
      }
      Path log = ctx.logs().liveOf(id);
      Files.createDirectories(log.getParent());
      process = ctx.launcher().launch(a, workingDir, log);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot start {} of {}: {}", id, a.replicaSet(), e.toString());
      end(a.failed("cannot start: " + e.getMessage(), ctx.clock().instant()), version);
      return;
    }
    Copy copy = new Copy(a, process);
    // The record first: a copy ZooKeeper knows of must be one the agent's next run can find, should this one die.
    try {
      ctx.runRecords().write(new RunRecord(id, a.replicaSet(), process.pid(), process.osStartInstant(),
          a.stopGraceMs(), ctx.launcher().mode()));
    } catch (IOException e) {
      // Without its record a copy could outlive a crash of this agent unnoticed: do not run it.
      LOG.error("cannot write the run record of {}; killing it", id, e);
      process.kill();
      end(a.failed("cannot write its run record: " + e.getMessage(), ctx.clock().instant()), version);
      return;
    }
    table.add(copy);
    LOG.info("started {} of {} as pid {}: {}", id, a.replicaSet(), process.pid(), a.command());
    sendRegistration(copy, version);
    // Attached after the registration is queued, so the exit can never be written before it.
    process.onExit().whenCompleteAsync((exitValue, error) -> onExit(copy, exitValue), ctx.exitThread());
  }

  private Path workingDirOf(AssignmentRecord a) {
    return a.workingDir().map(Path::of).orElse(ctx.config().workingDirsRoot().resolve(a.instanceId()));
  }

  private Path workingDirOf(Copy c) {
    return workingDirOf(c.assignment());
  }

  private void sendRegistration(Copy c, int assignmentVersion) {
    if (c.beginRegistration()) {
      writes.register(c, assignmentVersion, rc -> onRegistered(c, rc));
    }
  }

  private void onRegistered(Copy c, int rc) {
    Code code = Code.get(rc);
    if (code == Code.OK) {
      LOG.info("registered {}", c);
      settle(c, Copy.Registration.REGISTERED);
      // A deletion seen while the registration was in flight was left to it; look again.
      post(c.instanceId());
    } else if (code == Code.NONODE) {
      settle(c, Copy.Registration.REJECTED);
      stopper.killNow(c, "late copy: its assignment or its replica set is gone");
    } else {
      LOG.warn("registration of {} failed with {}; checking again", c, code);
      settle(c, Copy.Registration.UNKNOWN);
      post(c.instanceId());
    }
  }

  private void settle(Copy c, Copy.Registration outcome) {
    if (c.registrationSettled(outcome)) {
      writeExit(c);
    } else if (outcome == Copy.Registration.REGISTERED && !c.isStopping() && !c.hasExited()) {
      // Registered here or found registered by a check after a connection loss: its probes start now.
      probes.start(c);
    }
  }

  private void onExit(Copy c, Integer exitValue) {
    int code = ExitCodes.fromExitValue(exitValue == null ? -1 : exitValue);
    LOG.info("{} ended with exit code {}", c, code);
    probes.forget(c);
    if (c.exited(new Copy.Exit(code, ctx.clock().instant(), c.stopReason()))) {
      writeExit(c);
    }
  }

  private void writeExit(Copy c) {
    c.beginExitWrite().ifPresent(exit -> writes.recordExit(c, exit,
        cache.get(writes.assignmentPath(c.instanceId())).isPresent(), written -> {
          c.exitWriteSettled(written);
          if (written) {
            ctx.runRecords().delete(c.instanceId());
            table.remove(c);
          } else {
            LOG.warn("cannot record the end of {} now; it is written again when ZooKeeper is back", c);
          }
        }));
  }

  /** Records that the assignment ended without a copy to record the exit of (refused, lost, not startable). */
  private void end(AssignmentRecord ended, int version) {
    writes.recordEnd(ended, version, rc -> {
      Code code = Code.get(rc);
      if (code != Code.OK && code != Code.NONODE && code != Code.BADVERSION) {
        LOG.warn("cannot record that assignment {} ended ({}): {}; retried at the next resync", ended.instanceId(),
            ended.reason().orElse(""), code);
        table.unmarkHandled(ended.instanceId());
      }
    });
  }

  private void post(String instanceId) {
    if (closed.get()) {
      return;
    }
    try {
      ctx.agentThread().execute(() -> reconcile(instanceId));
    } catch (RejectedExecutionException e) {
      if (!closed.get()) {
        throw e;
      }
    }
  }

  private Optional<String> instanceIdOf(ChildData data) {
    if (data != null && ctx.layout().parse(data.getPath()) instanceof ZkPath.Assignment a
        && a.nodeId().equals(ctx.config().nodeId())) {
      return Optional.of(a.instanceId());
    }
    return Optional.empty();
  }

  private static Optional<AssignmentRecord> decode(ChildData data) {
    try {
      return Optional.of(RecordCodec.read(data.getData(), AssignmentRecord.class));
    } catch (UncheckedIOException | NullPointerException e) {
      LOG.error("ignoring unreadable assignment {}", data.getPath(), e);
      return Optional.empty();
    }
  }

  /** Stops reacting to assignments (copies are left as they are, exits are still recorded). */
  void quiesce() {
    closed.set(true);
  }

  /** Stops watching the assignments; exits recorded after this do not set their assignments EXITED. */
  @Override
  public void close() {
    quiesce();
    probes.close();
    cache.close();
  }
}
