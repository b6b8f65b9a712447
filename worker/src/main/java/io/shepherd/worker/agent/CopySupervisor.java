package io.shepherd.worker.agent;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.AssignmentState;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.zk.ZkPath;
import io.shepherd.worker.zk.Znodes;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
 * executor, one at a time (on the process's own {@link ExitWatcher}, woken by the JDK's reaper, or on the exit
 * thread), and their writes go out at once, never queued behind the agent thread; a copy restarted in place at once
 * is started again right there, on the thread that handles its exit, without a hand-off (its start and the
 * {@link #quiesce} that precedes an agent's last stop exclude each other, so that no copy starts unseen by that
 * stop). Stops may come from any thread.
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
  private final LocalApi localApi;
  private final Supplier<Optional<String>> localApiUrl;
  private final ConfigFiles configFiles;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The last decoded version of each assignment, by path; forgotten with the assignment. */
  private final Map<String, Decoded> decoded = new ConcurrentHashMap<>();
  /** Held by a restart in place from its check of {@link #closed} until its copy is in the table. */
  private final Object relaunching = new Object();
  private volatile boolean initialized;

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
    this.localApiUrl = localApiUrl;
    this.configFiles = new ConfigFiles(ctx.client(), ctx.layout(), this::workingDirOf,
        ctx.launcher().mode() == LauncherMode.PROCESS);
    localApi.onConfigChanged(rs -> post(() -> configChanged(rs)));
    this.table = table;
    this.stopper = stopper;
    this.writes = new InstanceWrites(ctx.client(), ctx.layout(), ctx.config().nodeId(), ctx.config().host());
    this.registrationCheck = new RegistrationCheck(ctx, writes, stopper, this::sendRegistration, this::settle);
    ReadinessWrites readiness = new ReadinessWrites(ctx.client(), writes, ctx.config().host());
    this.probes = new ProbeScheduler(ctx.clock(), ctx.metrics(), new ProbeScheduler.Effects() {
      @Override
      public CompletableFuture<Boolean> setReady(Copy copy, boolean ready) {
        elect(copy, ready);
        return readiness.setReady(copy, ready);
      }

      @Override
      public void fail(Copy copy, String why) {
        stopper.stopAsFailure(copy, Duration.ofMillis(copy.assignment().stopGraceMs()), why);
      }
    }, this::workingDirOf);
    stopper.onStopping(c -> {
      elect(c, false);
      return probes.stopping(c);
    });
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
    Set<String> live = new HashSet<>(table.ids());
    cache.stream().filter(d -> instanceIdOf(d).isPresent())
        .forEach(d -> decode(d).filter(a -> a.state() != AssignmentState.EXITED)
            .ifPresent(a -> live.add(a.instanceId())));
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

  /** A copy became ready (joins its set's election) or unready, stopping or ended (leaves it). Any thread. */
  private void elect(Copy copy, boolean ready) {
    if (ready && !copy.isStopping() && !copy.hasExited()) {
      localApi.elections().join(copy);
    } else {
      localApi.elections().leave(copy);
    }
  }

  /** Compares one assignment with its copy and acts. Agent thread only. */
  void reconcile(String instanceId) {
    if (closed.get()) {
      return;
    }
    Optional<ChildData> data = cache.get(writes.assignmentPath(instanceId));
    Optional<Copy> copy = table.get(instanceId);
    if (copy.isPresent()) {
      reconcileCopy(copy.get(), data);
      return;
    }
    if (data.isEmpty()) {
      table.forget(instanceId);
      decoded.remove(writes.assignmentPath(instanceId));
      return;
    }
    Optional<AssignmentRecord> waiting = decode(data.get()).filter(a -> a.state() == AssignmentState.BACKOFF);
    if (waiting.isPresent()) {
      startAfterBackoff(waiting.get(), data.get().getStat().getVersion());
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

  private void reconcileCopy(Copy c, Optional<ChildData> data) {
    boolean assignmentExists = data.isPresent();
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
        } else if (assignmentExists && decode(data.get())
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
      end(a.endedByAgent(refuse.detail(), ctx.clock().instant()), version);
    } else {
      table.markHandled(a.instanceId());
      launch(a, version);
    }
  }

  private void launch(AssignmentRecord a, int version) {
    Optional<CopyProcess> started = startProcess(a, why -> end(a.failed(why, ctx.clock().instant()), version));
    if (started.isEmpty()) {
      return;
    }
    String id = a.instanceId();
    CopyProcess process = started.get();
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

  /** Starts the copy's process, or reports why it cannot be started to {@code cannot}. */
  private Optional<CopyProcess> startProcess(AssignmentRecord a, Consumer<String> cannot) {
    String id = a.instanceId();
    if (ctx.launcher().mode() == LauncherMode.PROCESS) {
      // A copy whose port is taken would only crash; its failure names the port, and its replacement gets another.
      Optional<String> taken = CopyPorts.unavailable(a, CopyPorts::bindable);
      if (taken.isPresent()) {
        LOG.warn("cannot start {} of {}: {}", id, a.replicaSet(), taken.get());
        cannot.accept(taken.get());
        return Optional.empty();
      }
    }
    try {
      Path workingDir = workingDirOf(a);
      if (a.workingDir().isEmpty()) {
        ensureDirectory(workingDir);
      }
      Path log = ctx.logs().liveOf(id);
      ensureDirectory(log.getParent());
      Map<String, String> agentEnv = agentEnvironmentOf(a);
      configFiles.prepare(a);
      return Optional.of(ctx.launcher().launch(a, workingDir, log, agentEnv));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot start {} of {}: {}", id, a.replicaSet(), e.toString());
      cannot.accept("cannot start: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The local API's URL and the copy's token (the same for all its restarts in place); nothing without the API. */
  private Map<String, String> agentEnvironmentOf(AssignmentRecord a) {
    localApi.watch(a.replicaSet());
    Optional<String> url = localApiUrl.get();
    return url.isEmpty() ? Map.of() : localApi.environmentOf(a.instanceId(), url.get());
  }

  /** Creates {@code dir} if it is not one (one stat when it is: createDirectories throws and catches then). */
  private static void ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
  }

  /**
   * A copy waiting out its backoff: started again once its time has come (once per backoff: the key is its restart
   * count), registered with a check on the version read, as a new assignment is.
   */
  private void startAfterBackoff(AssignmentRecord a, int version) {
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
        stopper.after(Duration.between(now, at), () -> post(a.instanceId()));
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
    launch(a.restarting(a.lastExit().orElseThrow(), a.restartWindow(),
        requested ? a.restartRequested() : a.restartServed()), version);
  }

  /**
   * Decides whether an ended copy is restarted in place; true if it is taken care of (restarted now, or set to
   * BACKOFF), false if its exit is to be recorded as always.
   */
  private boolean restartInPlace(Copy c, Copy.Exit exit, AssignmentRecord current, boolean onExitThread) {
    // The cache may not show this copy's own registration yet: its record is the copy's, the cache's only adds a
    // restart request. Disconnected, the agent cannot tell a session change from a blip: the exit is recorded as
    // always, later.
    if (closed.get() || !ctx.connected() || c.registration() != Copy.Registration.REGISTERED
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
          post(c.instanceId());
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
        recordExit(c, exit); // the agent is closing
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
      Optional<CopyProcess> started = closed.get() ? Optional.empty() : startProcess(next, why -> { });
      if (started.isEmpty()) {
        // Cannot start it again here: given back, as an exit.
        recordExit(ended, exit);
        return;
      }
      CopyProcess process = started.get();
      copy = new Copy(next, process);
      try {
        ctx.runRecords().write(new RunRecord(next.instanceId(), next.replicaSet(), process.pid(),
            process.osStartInstant(), next.stopGraceMs(), ctx.launcher().mode()));
      } catch (IOException e) {
        LOG.error("cannot write the run record of {}; killing it", copy, e);
        process.kill();
        recordExit(ended, exit);
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
      onRegistered(copy, rc);
    });
    copy.process().onExit().whenCompleteAsync((exitValue, error) -> onExit(copy, exitValue), ctx.exitThread());
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
      countRestart(c);
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

  private void settle(Copy c, Copy.Registration outcome) {
    if (c.registrationSettled(outcome)) {
      writeExit(c);
    } else if (outcome == Copy.Registration.REGISTERED && !c.isStopping() && !c.hasExited()) {
      // Registered here or found registered by a check after a connection loss: its probes start now.
      probes.start(c);
      if (ProbeScheduler.readyAtRegistration(c.assignment().probesOrNone())) {
        elect(c, true);
      }
    }
  }

  private void onExit(Copy c, Integer exitValue) {
    int code = ExitCodes.fromExitValue(exitValue == null ? -1 : exitValue);
    probes.forget(c);
    String before = c.toString();
    if (c.exited(new Copy.Exit(code, ctx.clock().instant(), c.stopReason()))) {
      writeExit(c, true);
    }
    // After the restart in place it may have led to, so as not to delay it: leaving the election is a ZooKeeper
    // delete (~0.1 ms of this thread's time at p50, 0.4 ms at p90 on the benchmark's machine), the log line a write.
    elect(c, false);
    LOG.info("{} ended with exit code {}", before, code);
  }

  private void writeExit(Copy c) {
    writeExit(c, false);
  }

  /** Records the copy's end, or restarts it in place; {@code onExitThread}: called by the exit executor. */
  private void writeExit(Copy c, boolean onExitThread) {
    c.beginExitWrite().ifPresent(exit -> {
      Optional<AssignmentRecord> current = cache.get(writes.assignmentPath(c.instanceId())).flatMap(d -> decode(d));
      if (current.isEmpty() || !restartInPlace(c, exit, current.get(), onExitThread)) {
        recordExit(c, exit);
      }
    });
  }

  private void recordExit(Copy c, Copy.Exit exit) {
    writes.recordExit(c, exit, cache.get(writes.assignmentPath(c.instanceId())).isPresent(), written -> {
      c.exitWriteSettled(written);
      if (written) {
        ctx.runRecords().delete(c.instanceId());
        table.remove(c);
        localApi.tokens().forget(c.instanceId());
        post(() -> configFiles.forget(c.instanceId()));
      } else {
        LOG.warn("cannot record the end of {} now; it is written again when ZooKeeper is back", c);
      }
    });
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

  private Optional<String> instanceIdOf(ChildData data) {
    if (data != null && ctx.layout().parse(data.getPath()) instanceof ZkPath.Assignment a
        && a.nodeId().equals(ctx.config().nodeId())) {
      return Optional.of(a.instanceId());
    }
    return Optional.empty();
  }

  /**
   * The assignment a cached node holds, decoded once per version of it: the agent thread decodes each change as it
   * reconciles, so that an exit finds it decoded.
   */
  private Optional<AssignmentRecord> decode(ChildData data) {
    Decoded known = decoded.get(data.getPath());
    long mzxid = data.getStat() == null ? -1 : data.getStat().getMzxid();
    if (known != null && mzxid >= 0 && known.mzxid() == mzxid) {
      return Optional.of(known.record());
    }
    Optional<AssignmentRecord> record = decodeAnew(data);
    record.filter(r -> mzxid >= 0).ifPresent(r -> decoded.put(data.getPath(), new Decoded(mzxid, r)));
    return record;
  }

  private record Decoded(long mzxid, AssignmentRecord record) {}

  private static Optional<AssignmentRecord> decodeAnew(ChildData data) {
    try {
      return Optional.of(Znodes.ASSIGNMENT.decode(data.getData()));
    } catch (UncheckedIOException | NullPointerException e) {
      LOG.error("ignoring unreadable assignment {}", data.getPath(), e);
      return Optional.empty();
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
    probes.close();
    cache.close();
  }
}
