package io.shepherd.bench;

import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.RecordCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher.Event.EventType;

/**
 * Benchmark 7: a copy hangs (SIGSTOP); how long until its agent's liveness probe has it replaced by a new process.
 *
 * <p>Shepherd runs as the README's default ({@code server conf/shepherd.yml}, the local agent in the same JVM) with
 * {@code copies} copies of {@code python3 -m http.server ${PORT} --bind 127.0.0.1} ({@link Bench#python}), each with
 * an http liveness probe on {@code /} every {@code periodMs} (200), {@code timeoutMs} (100), {@code failureThreshold}
 * (2), first run {@code initialDelayMs} (1000) after the start, and an http readiness probe at the same period (so
 * the benchmark only hangs copies that serve). A SIGSTOPped server still accepts TCP connections (the kernel
 * completes them), so the probe fails by its timeout.
 *
 * <p>Each round picks the ready copy that has been up longest (at least {@code initialDelayMs} + 2 s) and was not
 * hung within the last {@code windowMs} + 0.5 s ({@code windowMs}: 3000, also its {@code restart.windowMs}): an
 * agent restarts a copy that fails its liveness probe in place, but counts it as a crash, and a second crash within
 * the window waits for the crash-loop backoff (1 s, doubling) by design. Every measured hang is therefore a copy's
 * first in its window. Timed from just before {@code kill -STOP} (the {@code kill} command's own start, ~1-2 ms, is
 * included):
 * <ul>
 *   <li><b>marked unready</b>: the instance's data changed (the agent clears its ready flag when it decides to stop
 *       the copy, before the SIGTERM);
 *   <li><b>old process gone</b>: no longer a running child of the agent (its SIGTERM is followed by a SIGCONT, as
 *       the process is stopped, so it acts on the SIGTERM; SIGKILL only after {@code stopGraceMs}, 5000 by default,
 *       conf/examples/web.json's);
 *   <li><b>new process running</b>: a new child of the agent's threads whose argv[0] is python3
 *       ({@link AgentChildren});
 *   <li><b>registered</b>: the instance znode created again with the new pid.
 * </ul>
 *
 * <p>System properties: {@code hangs} (30), {@code copies} (5), {@code periodMs}, {@code timeoutMs},
 * {@code failureThreshold}, {@code initialDelayMs}, {@code stopGraceMs}, {@code windowMs}, {@code python},
 * {@code bench.dir}.
 */
public final class HangBench {
  private static final String ROOT = "/shepherd";

  private HangBench() {}

  public static void main(String[] args) throws Exception {
    int hangs = Bench.intArg("hangs", 30);
    int copies = Bench.intArg("copies", 5);
    int periodMs = Bench.intArg("periodMs", 200);
    int timeoutMs = Bench.intArg("timeoutMs", 100);
    int threshold = Bench.intArg("failureThreshold", 2);
    int initialDelayMs = Bench.intArg("initialDelayMs", 1000);
    int stopGraceMs = Bench.intArg("stopGraceMs", 5000);
    int windowMs = Bench.intArg("windowMs", 3000);
    Path dir = Bench.workDir("hang");
    Bench.log("benchmark 7: copy hung (SIGSTOP) -> replaced; %d hangs over %d http copies; liveness every %d ms, "
        + "timeout %d ms, %d failures; stopGraceMs %d; load %s; dir %s", hangs, copies, periodMs, timeoutMs, threshold,
        stopGraceMs, Bench.loadAverage(), dir);
    List<Double> unready = new ArrayList<>();
    List<Double> gone = new ArrayList<>();
    List<Double> running = new ArrayList<>();
    List<Double> registered = new ArrayList<>();
    int zkPort = Bench.freePort();
    ServerProcess server = ServerProcess.embeddedDefault(dir, zkPort)
        .set("agent.dataDir", dir.resolve("agent"))
        .set("agent.logsPort", 0)
        .build().start().awaitUp(Duration.ofSeconds(120));
    String set = "web";
    String instances = ROOT + "/replicasets/" + set + "/instances";
    try (ZkEvents events = new ZkEvents("127.0.0.1:" + zkPort, 30_000)) {
      Bench.await("the server to lead", Duration.ofSeconds(60), 50, server::leads);
      String http = "{\"port\": \"http\", \"path\": \"/\"}";
      var r = Bench.put(server.api() + "/replicasets/" + set, "{\"replicas\": " + copies
          + ", \"command\": [\"" + Bench.python()
          + "\", \"-m\", \"http.server\", \"${PORT}\", \"--bind\", \"127.0.0.1\"],"
          + " \"ports\": [{\"name\": \"http\"}], \"stopGraceMs\": " + stopGraceMs
          + ", \"restart\": {\"localAttempts\": 1000, \"windowMs\": " + windowMs + "},"
          + " \"liveness\": {\"http\": " + http + ", \"periodMs\": " + periodMs + ", \"timeoutMs\": " + timeoutMs
          + ", \"failureThreshold\": " + threshold + ", \"initialDelayMs\": " + initialDelayMs + "},"
          + " \"readiness\": {\"http\": " + http + ", \"periodMs\": " + periodMs + "}}");
      if (!Bench.ok(r)) {
        throw new IllegalStateException("cannot create the replica set: " + (r == null ? "no answer" : r.body()));
      }
      Bench.await(copies + " copies ready", Duration.ofSeconds(60), 50,
          () -> ready(events, instances).size() == copies);
      events.watch(instances);
      AgentChildren procs = AgentChildren.of(server.pid(), "shepherd-agent", "python3");
      Map<String, Long> lastHang = new HashMap<>();
      Bench.log("%d copies ready; hanging one at a time", copies);
      for (int round = 0; round < hangs; round++) {
        InstanceRecord victim = null;
        long waitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (victim == null) {
          long now = System.nanoTime();
          victim = ready(events, instances).stream()
              .filter(i -> now - lastHang.getOrDefault(i.id(), Long.MIN_VALUE / 2)
                  > TimeUnit.MILLISECONDS.toNanos(windowMs + 500L))
              // Up long enough that its liveness probe has passed for a while (a cold server may miss a timeout).
              .filter(i -> Instant.now().toEpochMilli() - i.startedAt().toEpochMilli() > initialDelayMs + 2_000L)
              .min((a, b) -> a.startedAt().compareTo(b.startedAt())).orElse(null);
          if (victim == null) {
            if (now > waitDeadline) {
              throw new IllegalStateException("no copy ready to hang within 60 s");
            }
            Thread.sleep(50);
          }
        }
        events.drain();
        // The agent's threads as they are now: the victim's exit watcher, which starts it again, came after the list.
        procs = AgentChildren.of(server.pid(), "shepherd-agent", "python3");
        Set<Long> known = procs.running();
        String path = instances + "/" + victim.id();
        long t0 = System.nanoTime();
        Process kill = new ProcessBuilder("kill", "-STOP", Long.toString(victim.pid())).start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
          throw new IllegalStateException("kill -STOP " + victim.pid() + " failed");
        }
        lastHang.put(victim.id(), t0);
        long changed = -1;
        long deleted = -1;
        long created = -1;
        long killed = -1;
        long fresh = -1;
        long newPid = -1;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(20);
        while (fresh < 0 || created < 0 || killed < 0) {
          Set<Long> now = procs.running();
          if (killed < 0 && !now.contains(victim.pid())) {
            killed = System.nanoTime();
          }
          if (fresh < 0) {
            for (long pid : now) {
              if (!known.contains(pid)) {
                fresh = System.nanoTime();
                newPid = pid;
              }
            }
          }
          ZkEvents.Stamped e;
          while ((e = events.poll(0)) != null) {
            if (!e.path().equals(path)) {
              continue;
            }
            if (e.type() == EventType.NodeDataChanged && changed < 0 && deleted < 0) {
              changed = e.nanos();
            } else if (e.type() == EventType.NodeDeleted && deleted < 0) {
              deleted = e.nanos();
            } else if (e.type() == EventType.NodeCreated && deleted >= 0 && created < 0) {
              created = e.nanos();
            }
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("copy " + victim.id() + " not replaced within 20 s after SIGSTOP (unready "
                + (changed > 0) + ", gone " + (killed > 0) + ", running " + (fresh > 0) + ", registered "
                + (created > 0) + ")");
          }
          AgentChildren.pause();
        }
        InstanceRecord replacement = read(events, path).orElseThrow();
        if (replacement.pid() != newPid) {
          throw new IllegalStateException("registered pid " + replacement.pid() + " is not the new process " + newPid);
        }
        unready.add(changed < 0 ? Double.NaN : Bench.ms(changed - t0));
        gone.add(Bench.ms(killed - t0));
        running.add(Bench.ms(fresh - t0));
        registered.add(Bench.ms(created - t0));
        Bench.log("hang %d/%d of %s: marked unready %s ms, gone %s ms, new process running %s ms, registered %s ms",
            round + 1, hangs, victim.id(), changed < 0 ? "-" : Stats.ms(Bench.ms(changed - t0)),
            Stats.ms(Bench.ms(killed - t0)), Stats.ms(Bench.ms(fresh - t0)), Stats.ms(Bench.ms(created - t0)));
      }
      Bench.delete(server.api() + "/replicasets/" + set);
      AgentChildren atEnd = AgentChildren.of(server.pid(), "shepherd-agent", "python3");
      Bench.await(set + " gone", Duration.ofSeconds(60), 50, () -> atEnd.running().isEmpty());
    } finally {
      server.stop();
    }
    Table t = new Table(KillReplaceBench.concat("measure (ms after SIGSTOP)", Stats.header()));
    t.row("liveness failed: instance marked unready", Stats.of(unready.stream().filter(v -> !v.isNaN()).toList())
        .cells());
    t.row("old process gone (SIGTERM + SIGCONT, or SIGKILL)", Stats.of(gone).cells());
    t.row("new process running python3", Stats.of(running).cells());
    t.row("instance registered again (new pid)", Stats.of(registered).cells());
    System.out.println();
    System.out.print(t.render());
    Stats s = Stats.of(running);
    int goal = 2 * periodMs + 50;
    long within = running.stream().filter(v -> v <= goal).count();
    System.out.printf(Locale.ROOT, "goal: new process running within 2 periods + 50 ms = %d ms: %d of %d (%s); "
        + "p50 %s ms, max %s ms%n", goal, within, running.size(), within == running.size() ? "met" : "MISSED",
        Stats.ms(s.p50()), Stats.ms(s.max()));
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    KillReplaceBench.Samples.write(dir.resolve("hang-running.csv"), running);
    Children.stopAll();
  }

  private static List<InstanceRecord> ready(ZkEvents events, String instances) {
    List<InstanceRecord> out = new ArrayList<>();
    try {
      for (String id : events.zk().getChildren(instances, false)) {
        read(events, instances + "/" + id).filter(InstanceRecord::ready).ifPresent(out::add);
      }
    } catch (Exception e) {
      return List.of();
    }
    return out;
  }

  private static Optional<InstanceRecord> read(ZkEvents events, String path) {
    try {
      return Optional.of(RecordCodec.read(events.zk().getData(path, false, null), InstanceRecord.class));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
