package io.shepherd.worker.agent;

import io.shepherd.worker.gateway.Gateway;
import io.shepherd.worker.gateway.RefusalPublisher;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: registers this host as {@code /nodes/{nodeId}}, runs the copies assigned to it under
 * {@code /assignments/{nodeId}}, registers each as an ephemeral instance in its one ZooKeeper session, and records
 * how each ends. See docs/ARCHITECTURE.md.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once; the client must be started by the caller and outlive
 * the agent (the agent never closes it). {@code start()} first stops the copies a previous run of this agent left
 * (blocking for at most their grace), then works asynchronously: it registers when ZooKeeper is reachable and keeps
 * retrying until it is. {@code close()} stops every copy (SIGTERM, grace, SIGKILL), records their ends and deletes
 * the node's registration; it blocks for up to the longest grace period of the copies plus the drain delay.
 *
 * <p>Sessions: while ZooKeeper is merely unreachable, copies keep running, except those whose partition policy is
 * STOP, which are stopped at once and killed within a third of the session timeout. Exits meanwhile are written when
 * the connection is back. If the session really expired (its id changed), the leader has replaced this node's
 * copies: the agent stops them all and registers afresh.
 *
 * <p>Thread-safe. Internally: one agent thread decides and launches; exits are handled one at a time, on the
 * {@link ExitWatcher} of the process that ended or on one exit thread ({@link ExitExecutor}); one timer thread
 * delivers SIGKILLs and rotates logs.
 */
public final class NodeAgent implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  private static final Duration SYNC_RETRY = Duration.ofSeconds(1);
  /** How often the working directories and old logs of ended copies are removed. */
  private static final Duration ENDED_COPY_FILES_SWEEP = Duration.ofSeconds(30);
  private static final Duration CLOSE_WRITE_WAIT = Duration.ofSeconds(5);

  private enum State { LATENT, STARTED, CLOSED }

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final CuratorFramework client;
  private final AgentConfig config;
  private final AgentContext ctx;
  private final ScheduledExecutorService agentThread;
  private final ScheduledExecutorService exitThread;
  private final ScheduledExecutorService timers;
  private final CopyTable table = new CopyTable();
  private final StopScheduler stopper;
  private final EpochWatch epoch;
  private final CopySupervisor supervisor;
  private final NodeRegistration registration;
  private final LeftoverReaper reaper;
  private final EndedCopyFiles endedCopyFiles;
  private final Optional<LogServer> logServer;
  private final Optional<Gateway> gateway;
  private final RefusalPublisher refusals;
  private final LocalApi localApi;
  private final AgentMetrics metrics;
  private final ConnectionStateListener connectionListener = (c, newState) -> onConnectionStateChanged(newState);
  private volatile boolean ready;
  private List<RunRecord> leftovers = List.of();
  private boolean watching;

  /** An agent of {@code config.launcher()}'s mode. */
  public NodeAgent(CuratorFramework client, ZkLayout layout, AgentConfig config) {
    this(client, layout, config, launcherFor(config.launcher(), Clock.systemUTC()), Clock.systemUTC());
  }

  NodeAgent(CuratorFramework client, ZkLayout layout, AgentConfig config, Launcher launcher, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.agentThread = Executors.newSingleThreadScheduledExecutor(named("shepherd-agent-" + config.nodeId()));
    this.exitThread = Executors.newSingleThreadScheduledExecutor(named("shepherd-agent-exits"));
    this.timers = Executors.newSingleThreadScheduledExecutor(named("shepherd-agent-timers"));
    LogFiles logs = new LogFiles(config.dataDir().resolve("logs"), config.logMaxBytes());
    RunRecords runRecords = new RunRecords(config.dataDir().resolve("run"));
    this.epoch = new EpochWatch(client, layout, () -> post(this::resync));
    this.metrics = new AgentMetrics(() -> table.all().stream().map(Copy::replicaSet).toList(),
        () -> client.getZookeeperClient().isConnected());
    this.ctx = new AgentContext(client, layout, config, launcher, logs, runRecords, clock, agentThread,
        new ExitExecutor(exitThread),
        epoch::current, () -> ready, metrics);
    this.stopper = new StopScheduler(timers, clock, config.gateway().drainDelay());
    this.localApi = new LocalApi(client, layout, config.host(), new CopyTokens(), CopyPeers.system(), table::get,
        () -> ready);
    this.logServer = config.logServer()
        .map(s -> new LogServer(s, config.host(), logs, table::isRunning, config.logMaxBytes(), metrics::scrape,
            Optional.of(localApi::handle)));
    this.supervisor = new CopySupervisor(ctx, table, stopper, localApi,
        () -> logServer.filter(LogServer::isStarted).map(LogServer::localUrl));
    this.gateway = config.gateway().enabled()
        ? Optional.of(new Gateway(client, layout, config.gateway(), refused -> post(this::publishRefused)))
        : Optional.empty();
    this.registration = new NodeRegistration(ctx, () -> logServer.map(LogServer::baseUrl),
        () -> gateway.map(Gateway::refused).orElse(List.of()));
    this.refusals = new RefusalPublisher(client, layout.node(config.nodeId()));
    this.reaper = new LeftoverReaper(runRecords, clock);
    this.endedCopyFiles = new EndedCopyFiles(config.workingDirsRoot(), logs.dir(),
        EndedCopyFiles.DEFAULT_KEPT_LOGS);
  }

  /**
   * Stops the leftovers of a previous run, starts the log server and begins to register and watch.
   *
   * @throws IOException if the data directory cannot be used or the log server cannot bind
   * @throws InterruptedException if interrupted while waiting for leftovers to end
   */
  public void start() throws IOException, InterruptedException {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("cannot be started more than once");
    }
    leftovers = reaper.stopLeftovers();
    Files.createDirectories(ctx.logs().dir());
    if (logServer.isPresent()) {
      logServer.get().start();
    }
    gateway.ifPresent(Gateway::start);
    client.getConnectionStateListenable().addListener(connectionListener);
    // The exit thread is up before the first exit: it restarts copies in place, and creating it then would delay one.
    exitThread.execute(() -> { });
    long resync = config.resyncInterval().toMillis();
    agentThread.scheduleWithFixedDelay(this::sync, 0, resync, TimeUnit.MILLISECONDS);
    long rotate = config.logRotateInterval().toMillis();
    timers.scheduleWithFixedDelay(this::rotateLogs, rotate, rotate, TimeUnit.MILLISECONDS);
    // On the agent thread, as launches are: a copy being started is in the table before the next sweep looks.
    long sweep = ENDED_COPY_FILES_SWEEP.toMillis();
    agentThread.scheduleWithFixedDelay(this::removeEndedCopyFiles, sweep, sweep, TimeUnit.MILLISECONDS);
    LOG.info("agent {} started ({} launcher, capacity {})", config.nodeId(), config.launcher(), config.capacity());
  }

  /** The base URL of the log server ({@code http://host:port/logs}); empty if none runs or not started. */
  public Optional<String> logsUrl() {
    return state.get() == State.STARTED
        ? logServer.filter(LogServer::isStarted).map(LogServer::baseUrl)
        : Optional.empty();
  }

  /**
   * Adds the JVM's metrics to this agent's ({@code GET /metrics} on its HTTP port): for a standalone agent; an agent
   * embedded in a server leaves them to the server, so that one process reports them once.
   */
  public void includeJvmMetrics() {
    metrics.includeJvm();
  }

  /** The ZooKeeper session the node is registered in; empty while it is not registered. */
  public OptionalLong registeredSession() {
    return registration.session();
  }

  /** This agent's gateway to exposed replica sets; empty if it runs none. */
  public Optional<Gateway> gateway() {
    return gateway;
  }

  /** How many copies this agent runs now, stopping ones included. */
  public int copyCount() {
    return table.size();
  }

  private void onConnectionStateChanged(ConnectionState newState) {
    if (state.get() != State.STARTED) {
      return;
    }
    switch (newState) {
      case CONNECTED, RECONNECTED -> {
        ready = false;
        localApi.connectionChanged();
        post(this::sync);
      }
      case SUSPENDED, LOST -> {
        ready = false;
        localApi.connectionChanged();
        // On this thread, not the agent thread: that one may be blocked on the lost connection.
        supervisor.stopPartitionSensitive(Duration.ofMillis(ZkClients.negotiatedSessionTimeoutMs(client) / 3));
      }
      case READ_ONLY -> LOG.warn("connected to a read-only ZooKeeper server; waiting for a quorum");
    }
  }

  /**
   * Brings everything in line with ZooKeeper: session check, leftovers, registration, watches, every copy.
   * Level-triggered and idempotent: runs on every (re)connection, periodically, and after a failure.
   */
  private void sync() {
    if (state.get() != State.STARTED || !client.getZookeeperClient().isConnected()) {
      return;
    }
    try {
      long session = ZkClients.sessionId(client);
      OptionalLong registered = registration.session();
      if (registered.isPresent() && registered.getAsLong() != session) {
        ready = false;
        LOG.warn("ZooKeeper session 0x{} expired (now 0x{}): the leader has replaced this node's copies; "
            + "stopping them and registering afresh", Long.toHexString(registered.getAsLong()),
            Long.toHexString(session));
        supervisor.stopAll("ZooKeeper session expired", c -> Duration.ofMillis(c.assignment().stopGraceMs()));
        registration.forget();
      }
      cleanLeftovers();
      registration.ensure(session);
      if (!watching) {
        watching = true;
        epoch.start();
        supervisor.start();
      }
      ready = client.getZookeeperClient().isConnected();
      localApi.connectionChanged();
      supervisor.resyncAll();
      publishRefused();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (e instanceof KeeperException.NoAuthException noAuth) {
        // One line, not a trace: no server has made the tree yet, or this agent's identity is not admitted.
        LOG.warn("ZooKeeper refused this agent's identity on {} (no server has created the tree yet, or the "
            + "servers' zookeeper.acl.agents does not list it); retrying in {} ms", noAuth.getPath(),
            SYNC_RETRY.toMillis());
      } else {
        LOG.warn("cannot sync with ZooKeeper; retrying in {} ms", SYNC_RETRY.toMillis(), e);
      }
      try {
        agentThread.schedule(this::sync, SYNC_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        LOG.debug("agent closing; no retry");
      }
    }
  }

  /**
   * Brings the node record's refused ports in line with the gateway's: when they change, and on every sync (a change
   * while ZooKeeper was out of reach is written then). Reads the record; writes it only if they differ.
   */
  private void publishRefused() {
    if (gateway.isEmpty() || registration.session().isEmpty() || !client.getZookeeperClient().isConnected()) {
      return;
    }
    try {
      refusals.publish(gateway.get().refused());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("cannot publish the gateway's refused ports in node {}'s record; retrying at the next sync: {}",
          config.nodeId(), e.toString());
    }
  }

  private void rotateLogs() {
    try {
      ctx.logs().rotateAll(table.ids());
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: log and carry on.
      LOG.error("log rotation failed", e);
    }
  }

  private void removeEndedCopyFiles() {
    try {
      endedCopyFiles.sweep(Set.copyOf(table.ids()));
    } catch (RuntimeException e) {
      LOG.error("removing the files of ended copies failed", e);
    }
  }

  private void resync() {
    if (ready) {
      supervisor.resyncAll();
    }
  }

  private void cleanLeftovers() throws Exception {
    while (!leftovers.isEmpty()) {
      reaper.clean(leftovers.get(0), client, ctx.layout(), config.nodeId());
      leftovers = leftovers.subList(1, leftovers.size());
    }
  }

  /**
   * Stops every copy (SIGTERM, its grace, SIGKILL), records their ends, deletes the node's registration and
   * releases every thread. Blocks for up to the longest grace period of the copies and the drain, plus a few seconds
   * for the writes. Leaves the client open.
   */
  @Override
  public void close() throws IOException {
    if (state.getAndSet(State.CLOSED) != State.STARTED) {
      shutdownThreads();
      return;
    }
    client.getConnectionStateListenable().removeListener(connectionListener);
    ready = false;
    supervisor.quiesce();
    agentThread.shutdownNow();
    try {
      agentThread.awaitTermination(CLOSE_WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      stopCopies();
      if (client.getZookeeperClient().isConnected()) {
        registration.deregister();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("cannot delete the registration of node {}; it goes with the session", config.nodeId(), e);
    } finally {
      supervisor.close();
      epoch.close();
      localApi.close();
      logServer.ifPresent(LogServer::close);
      gateway.ifPresent(Gateway::close);
      shutdownThreads();
    }
    LOG.info("agent {} closed", config.nodeId());
  }

  private void stopCopies() throws InterruptedException {
    List<Copy> copies = table.all();
    supervisor.stopAll("agent closing", c -> Duration.ofMillis(c.assignment().stopGraceMs()));
    long longest = copies.stream().mapToLong(c -> c.assignment().stopGraceMs()).max().orElse(0)
        + stopper.drainBound().toMillis();
    CompletableFuture<?>[] exits = copies.stream().map(c -> c.process().onExit()).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(longest + CLOSE_WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("some copies did not end after SIGKILL", e);
    }
    // A copy that ended on SIGTERM may have left children (a shell's); the timers that would kill them stop now.
    copies.forEach(c -> c.process().kill());
    try {
      CompletableFuture.allOf(copies.stream().map(c -> c.process().onTreeExit()).toArray(CompletableFuture[]::new))
          .get(CLOSE_WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("some children of copies did not end after SIGKILL", e);
    }
    if (!table.awaitEmpty(CLOSE_WRITE_WAIT)) {
      LOG.warn("the ends of {} copies could not be recorded; the next start cleans them up", table.size());
    }
  }

  private void post(Runnable task) {
    if (state.get() == State.STARTED) {
      try {
        agentThread.execute(task);
      } catch (RejectedExecutionException e) {
        LOG.debug("agent closing; dropped a task");
      }
    }
  }

  private void shutdownThreads() {
    agentThread.shutdownNow();
    exitThread.shutdown();
    timers.shutdownNow();
  }

  private static Launcher launcherFor(LauncherMode mode, Clock clock) {
    return switch (mode) {
      case PROCESS -> new ProcessLauncher(clock);
      case REGISTER_ONLY -> new RegisterOnlyLauncher(clock);
    };
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
