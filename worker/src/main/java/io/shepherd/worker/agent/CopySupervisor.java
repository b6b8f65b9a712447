package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.OnPartition;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's copies in line with its assignments: the {@link AssignmentCache}'s events only post the instance
 * id to the agent thread, where {@link #reconcile} compares the cached assignment with the local copy and acts.
 * Level-triggered: {@link #resyncAll} runs the same comparison for everything. It coordinates the parts of a copy's
 * life: {@link CopyStarter} starts its process, {@link CopyRegistrations} announces it, {@link CopyReadiness} runs its
 * probes and its place in its set's election, {@link StopScheduler} stops it, {@link CopyExits} records its end and
 * {@link InPlaceRestarts} starts it again where it ran.
 *
 * <p>Threads: {@link #reconcile} and {@link #resyncAll} run on the agent thread only. Exits are handled on the exit
 * executor, one at a time (on the process's own {@link ExitWatcher}, woken by the JDK's reaper, or on the exit
 * thread), and their writes go out at once, never queued behind the agent thread; a copy restarted in place at once
 * is started again right there, on the thread that handles its exit, without a hand-off (its start and the
 * {@link #quiesce} that precedes an agent's last stop exclude each other, through this class's {@code relaunching}
 * lock, which {@link InPlaceRestarts} shares, so that no copy starts unseen by that stop). Stops may come from any
 * thread.
 */
final class CopySupervisor implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(CopySupervisor.class);
  private final AgentContext ctx;
  private final CopyTable table;
  private final StopScheduler stopper;
  private final LocalApi localApi;
  private final ConfigFiles configFiles;
  private final AssignmentCache assignments;
  private final CopyStarter starter;
  private final CopyReadiness readiness;
  private final CopyExits exits;
  private final CopyRegistrations registrations;
  private final RegistrationCheck registrationCheck;
  private final InPlaceRestarts restarts;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Held by a restart in place from its check of {@link #closed} until its copy is in the table. */
  private final Object relaunching = new Object();

  /**
   * @param localApi    the copy-facing local API and the views of this node's sets: copies get its URL and a token
   *                    (when it is served), take part in their set's election while ready, and have their config
   *                    files kept up to date
   * @param localApiUrl the URL copies reach it at, once its server runs; empty when none is served
   */
  CopySupervisor(AgentContext ctx, CopyTable table, StopScheduler stopper, LocalApi localApi,
      Supplier<Optional<String>> localApiUrl) {
    this.ctx = ctx;
    this.localApi = localApi;
    Function<AssignmentRecord, Path> workingDirOf = a -> CopyStarter.workingDirOf(ctx.config(), a);
    this.configFiles = new ConfigFiles(ctx.client(), ctx.layout(), workingDirOf,
        ctx.launcher().mode() == LauncherMode.PROCESS);
    localApi.onConfigChanged(rs -> post(() -> configChanged(rs)));
    this.table = table;
    this.stopper = stopper;
    InstanceWrites writes = new InstanceWrites(ctx.client(), ctx.layout(), ctx.config().nodeId(), ctx.config().host());
    this.starter = new CopyStarter(ctx, localApi, localApiUrl, configFiles);
    this.readiness = new CopyReadiness(ctx, writes, stopper, localApi, c -> workingDirOf.apply(c.assignment()));
    this.assignments = new AssignmentCache(ctx, writes, this::post, () -> ctx.agentThread().execute(this::resyncAll));
    this.exits = new CopyExits(ctx, table, writes, assignments, readiness, this::restartInPlace, this::forget);
    this.registrations = new CopyRegistrations(ctx, writes, stopper, readiness, exits, this::post);
    this.registrationCheck = new RegistrationCheck(ctx, writes, stopper, registrations::send, registrations::settle);
    this.restarts = new InPlaceRestarts(ctx, table, writes, stopper, starter, registrations, exits, this::launch,
        this::post, closed::get, relaunching);
  }

  /** Starts watching the assignments; idempotent. */
  void start() {
    assignments.start();
  }

  /** Compares every copy and every assignment. Agent thread only. */
  void resyncAll() {
    if (closed.get() || !assignments.initialized()) {
      return;
    }
    table.ids().forEach(this::reconcile);
    assignments.instanceIds().forEach(this::reconcile);
    Set<String> live = new HashSet<>(table.ids());
    assignments.records().filter(a -> a.state() != AssignmentState.EXITED).forEach(a -> live.add(a.instanceId()));
    localApi.retain(table.all().stream().map(Copy::replicaSet).collect(Collectors.toSet()), live);
    table.all().stream().filter(c -> c.assignment().configFile().isPresent()).map(Copy::replicaSet).distinct()
        .forEach(this::configChanged);
  }

  /** The configuration values of a set changed, or may have: its copies' config files. Agent thread only. */
  private void configChanged(String replicaSet) {
    if (closed.get()) {
      return;
    }
    localApi.configValues(replicaSet).ifPresent(values -> configFiles.changed(replicaSet, values, table.all()));
  }

  /** Compares one assignment with its copy and acts. Agent thread only. */
  void reconcile(String instanceId) {
    if (closed.get()) {
      return;
    }
    Optional<ChildData> data = assignments.get(instanceId);
    Optional<Copy> copy = table.get(instanceId);
    if (copy.isPresent()) {
      reconcileCopy(copy.get(), data);
      return;
    }
    if (data.isEmpty()) {
      table.forget(instanceId);
      assignments.forget(instanceId);
      return;
    }
    Optional<AssignmentRecord> waiting =
        assignments.decode(data.get()).filter(a -> a.state() == AssignmentState.BACKOFF);
    if (waiting.isPresent()) {
      restarts.startAfterBackoff(waiting.get(), data.get().getStat().getVersion());
      return;
    }
    if (table.isHandled(instanceId)) {
      return;
    }
    Optional<AssignmentRecord> record = assignments.decode(data.get());
    if (record.isEmpty()) {
      table.markHandled(instanceId);
      return;
    }
    int version = data.get().getStat().getVersion();
    AssignmentRecord a = record.get();
    if (a.state() == AssignmentState.ASSIGNED) {
      admit(a, version, data.get().getStat().getCzxid());
    } else if (a.state() == AssignmentState.RUNNING && assignments.initialized() && table.markHandled(instanceId)) {
      // RUNNING here but unknown to this run, and no leftover record explained it: it is not running.
      exits.end(a.endedByAgent("not running on this node (the agent lost it)", ctx.clock().instant()), version);
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

  private void reconcileCopy(Copy c, Optional<ChildData> data) {
    boolean assignmentExists = data.isPresent();
    if (c.exitWritePending()) {
      exits.writeExit(c);
      return;
    }
    if (c.hasExited() || c.isStopping()) {
      return;
    }
    switch (c.registration()) {
      case REGISTERED -> {
        if (!assignmentExists && assignments.initialized()) {
          stopper.stop(c, Duration.ofMillis(c.assignment().stopGraceMs()), "assignment deleted");
        } else if (assignmentExists && assignments.decode(data.get())
            .filter(a -> LocalRestarts.restartRequested(a, c.assignment())).isPresent()) {
          stopper.stop(c, Duration.ofMillis(c.assignment().stopGraceMs()), LocalRestarts.RESTART_REQUESTED);
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
      exits.end(a.endedByAgent(refuse.detail(), ctx.clock().instant()), version);
    } else {
      table.markHandled(a.instanceId());
      launch(a, version);
    }
  }

  /** Launches a copy of {@code a} as a new one, registered with a check on {@code version}. Agent thread only. */
  private void launch(AssignmentRecord a, int version) {
    Optional<CopyProcess> started = starter.start(a, why -> exits.end(a.failed(why, ctx.clock().instant()), version));
    if (started.isEmpty()) {
      return;
    }
    String id = a.instanceId();
    CopyProcess process = started.get();
    Copy copy = new Copy(a, process);
    // The record first: a copy ZooKeeper knows of must be one the agent's next run can find, should this one die.
    try {
      starter.writeRunRecord(a, process);
    } catch (IOException e) {
      // Without its record a copy could outlive a crash of this agent unnoticed: do not run it.
      LOG.error("cannot write the run record of {}; killing it", id, e);
      process.kill();
      exits.end(a.failed("cannot write its run record: " + e.getMessage(), ctx.clock().instant()), version);
      return;
    }
    table.add(copy);
    LOG.info("started {} of {} as pid {}: {}", id, a.replicaSet(), process.pid(), a.command());
    registrations.send(copy, version);
    // Attached after the registration is queued, so the exit can never be written before it.
    exits.watch(copy);
  }

  /** For {@link CopyExits}, which is built before {@link #restarts}. */
  private boolean restartInPlace(Copy c, Copy.Exit exit, AssignmentRecord current, boolean onExitThread) {
    return restarts.restartInPlace(c, exit, current, onExitThread);
  }

  /** A copy's end is recorded: its token is forgotten, and its config file on the agent thread. */
  private void forget(Copy c) {
    localApi.tokens().forget(c.instanceId());
    post(() -> configFiles.forget(c.instanceId()));
  }

  private void post(Runnable task) {
    if (closed.get()) {
      return;
    }
    try {
      ctx.agentThread().execute(task);
    } catch (RejectedExecutionException e) {
      if (!closed.get()) {
        throw e;
      }
    }
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

  /**
   * Stops reacting to assignments (copies are left as they are, exits are still recorded). Once it returns, no copy
   * is started any more, and every copy started is in the table.
   */
  void quiesce() {
    synchronized (relaunching) {
      closed.set(true);
    }
  }

  /** Stops watching the assignments; exits recorded after this do not set their assignments EXITED. */
  @Override
  public void close() {
    quiesce();
    readiness.close();
    assignments.close();
  }
}
