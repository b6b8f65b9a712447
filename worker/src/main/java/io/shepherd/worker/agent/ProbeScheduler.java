package io.shepherd.worker.agent;

import io.shepherd.worker.agent.ProbeTracker.Action;
import io.shepherd.worker.agent.ProbeTracker.Gate;
import io.shepherd.worker.agent.ProbeTracker.Kind;
import io.shepherd.worker.agent.ProbeTracker.Result;
import io.shepherd.worker.agent.ProbeTracker.State;
import io.shepherd.worker.agent.ProbeTracker.Status;
import io.shepherd.worker.agent.ProbeTracker.Step;
import io.shepherd.worker.record.ProbeRecord;
import io.shepherd.worker.record.Probes;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every copy's probes on one thread, a {@link ProbeLoop} ({@code shepherd-agent-probes}): each tick asks
 * {@link ProbeTracker#gate} whether the probe runs, starts it through {@link ProbeRunner} (which holds no thread
 * while it waits), and hands the result to {@link ProbeTracker#observe} on the same thread; a flip becomes an
 * {@link Action} carried out through {@link Effects}. A probe whose previous run has not finished skips its tick.
 *
 * <p>It also knows whether each registered copy is ready, so that a copy its agent stops is marked unready before
 * it gets SIGTERM ({@link #stopping}).
 */
final class ProbeScheduler implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeScheduler.class);

  /** What a flip does outside this class: ZooKeeper writes and the stop path. */
  interface Effects {
    /** Sets the copy's instance {@code ready} flag; completes with whether ZooKeeper acknowledged the write. */
    CompletableFuture<Boolean> setReady(Copy copy, boolean ready);

    /** Stops the copy as its failure, recording {@code why}. */
    void fail(Copy copy, String why);
  }

  private final ProbeLoop loop;
  private final ProbeRunner runner;
  private final Clock clock;
  private final AgentMetrics metrics;
  private final Effects effects;
  private final Function<Copy, Path> workingDir;
  private final Map<String, CopyProbes> copies = new ConcurrentHashMap<>();

  ProbeScheduler(Clock clock, AgentMetrics metrics, Effects effects, Function<Copy, Path> workingDir) {
    this.loop = new ProbeLoop("shepherd-agent-probes");
    this.runner = new ProbeRunner(loop);
    this.clock = clock;
    this.metrics = metrics;
    this.effects = effects;
    this.workingDir = workingDir;
  }

  /** Whether a copy with these probes registers as ready. */
  static boolean readyAtRegistration(Probes probes) {
    return ProbeTracker.readyAtRegistration(probes.readiness() != null);
  }

  /** Starts the probes of a copy that has just registered (with {@link #readyAtRegistration}). Any thread. */
  void start(Copy copy) {
    CopyProbes p = new CopyProbes(copy);
    if (copies.putIfAbsent(copy.instanceId(), p) != null) {
      return;
    }
    for (Kind kind : Kind.values()) {
      if (p.probe(kind) != null) {
        schedule(p, kind, Duration.ZERO);
      }
    }
  }

  /**
   * A copy its agent is about to stop: no more probes, and if it is ready, it is marked unready now, before the
   * SIGTERM that follows (the write is queued in the session before the instance's deletion). Completes with true
   * once that write is acknowledged, false at once if the copy was not ready. Any thread.
   */
  CompletableFuture<Boolean> stopping(Copy copy) {
    CopyProbes p = copies.remove(copy.instanceId());
    if (p != null && p.end()) {
      return effects.setReady(copy, false);
    }
    return CompletableFuture.completedFuture(false);
  }

  /** A copy that ended: no more probes. Any thread. */
  void forget(Copy copy) {
    CopyProbes p = copies.remove(copy.instanceId());
    if (p != null) {
      p.end();
    }
  }

  private void schedule(CopyProbes p, Kind kind, Duration delay) {
    loop.schedule(delay.toMillis(), () -> tick(p, kind));
  }

  /** On the probe thread. */
  private void tick(CopyProbes p, Kind kind) {
    if (p.ended || p.copy.hasExited()) {
      return;
    }
    ProbeRecord probe = p.probe(kind);
    Instant now = clock.instant();
    Instant startedAt = p.copy.process().startedAt();
    Gate gate = ProbeTracker.gate(kind, now, startedAt, probe.initialDelayMs(), p.startupStatus());
    switch (gate) {
      case STARTUP_DONE, HELD_BY_STARTUP -> { } // released by the startup probe's flip
      case INITIAL_DELAY -> schedule(p, kind, Duration.between(now, startedAt.plusMillis(probe.initialDelayMs())));
      case RUN -> {
        if (!p.inFlight.containsKey(kind)) {
          p.inFlight.put(kind, now);
          long began = System.nanoTime();
          runner.run(probe, p.copy.assignment().ports(), p.copy.assignment().env(), workingDir.apply(p.copy),
              result -> {
                metrics.probed(kind, result.passed(), Duration.ofNanos(System.nanoTime() - began));
                observed(p, kind, result);
              });
        }
        schedule(p, kind, Duration.ofMillis(probe.periodMs()));
      }
    }
  }

  /** On the probe thread. */
  private void observed(CopyProbes p, Kind kind, Result result) {
    p.inFlight.remove(kind);
    if (p.ended) {
      return;
    }
    ProbeRecord probe = p.probe(kind);
    Step step = ProbeTracker.observe(kind, p.states.get(kind), result, probe.successThreshold(),
        probe.failureThreshold());
    p.states.put(kind, step.after());
    LOG.debug("{} probe of {}: {} ({})", kind.label(), p.copy.instanceId(), step.reason(), result.output());
    if (step.flip().isEmpty()) {
      return;
    }
    String message = step.flip().get();
    Action action = ProbeTracker.act(kind, step.after().status());
    LOG.info("{}: {}", p.copy, message);
    switch (action) {
      case READY, UNREADY -> {
        if (p.setReady(action == Action.READY)) {
          effects.setReady(p.copy, action == Action.READY);
        }
      }
      case STOP -> {
        stopping(p.copy);
        effects.fail(p.copy, message);
      }
      case NONE -> {
        if (kind == Kind.STARTUP) {
          schedule(p, Kind.LIVENESS, Duration.ZERO);
          schedule(p, Kind.READINESS, Duration.ZERO);
        }
      }
    }
  }

  @Override
  public void close() {
    copies.values().forEach(CopyProbes::end);
    copies.clear();
    loop.close();
  }

  /** One copy's probes and their states. States are touched on the probe thread only; the flags from any thread. */
  private static final class CopyProbes {
    final Copy copy;
    final Probes probes;
    final Map<Kind, State> states = new EnumMap<>(Kind.class);
    final Map<Kind, Instant> inFlight = new EnumMap<>(Kind.class);
    volatile boolean ended;
    private boolean ready;

    CopyProbes(Copy copy) {
      this.copy = copy;
      this.probes = copy.assignment().probesOrNone();
      this.ready = readyAtRegistration(probes);
      for (Kind kind : Kind.values()) {
        states.put(kind, State.INITIAL);
      }
    }

    ProbeRecord probe(Kind kind) {
      return switch (kind) {
        case STARTUP -> probes.startup();
        case LIVENESS -> probes.liveness();
        case READINESS -> probes.readiness();
      };
    }

    Optional<Status> startupStatus() {
      return probes.startup() == null ? Optional.empty() : Optional.of(states.get(Kind.STARTUP).status());
    }

    /** Records a new readiness; true if it changed (never to ready once ended). */
    synchronized boolean setReady(boolean newReady) {
      if (ended && newReady || ready == newReady) {
        return false;
      }
      ready = newReady;
      return true;
    }

    /** Ends the probes; true if the copy was ready (and is now marked unready). */
    synchronized boolean end() {
      ended = true;
      boolean was = ready;
      ready = false;
      return was;
    }
  }
}
