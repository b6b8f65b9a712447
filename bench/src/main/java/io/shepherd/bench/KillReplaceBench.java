package io.shepherd.bench;

import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.RecordCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.zookeeper.Watcher.Event.EventType;

/**
 * Benchmark 1: a copy is SIGKILLed; how long until a new process of its command runs, and until it is registered.
 * The same kills against supervisord, for comparison.
 *
 * <p>Shepherd runs as the README's default ({@code server conf/shepherd.yml}: embedded ZooKeeper, controller, REST
 * and the local agent in one JVM). Three phases on the same server, each a replica set of {@code copies} copies:
 * <ol>
 *   <li><b>in place</b>: {@code sleep 100000} with {@code restart.localAttempts} = {@code localAttempts} (1000, the
 *       most allowed: each copy is killed ~{@code kills / copies} times within a minute, and the default of 10 per
 *       10 minutes would give it back to the leader after its tenth). The agent restarts the same instance id;
 *   <li><b>leader path</b>: the same with {@code localAttempts: 0}: the agent records the exit, the leader assigns a
 *       replacement (a new instance id), the agent starts and registers it;
 *   <li><b>ready again</b>: {@code python3 -m http.server ${PORT} --bind 127.0.0.1} with an http readiness probe
 *       every {@code readyPeriodMs}, restarted in place; times SIGKILL &rarr; the instance's {@code ready} flag true
 *       again.
 * </ol>
 * Each round kills the copy that has been up longest (round-robin; never one younger than the crash-loop minUptime of
 * 1 s plus a margin, so no kill counts as a crash). Two signals, both timed from just before {@code kill(SIGKILL)}:
 * <ul>
 *   <li><b>running</b>: a new child of one of the agent's threads whose command line is the copy's (it has exec'd),
 *       from {@code /proc/<server>/task/<agent thread>/children}, polled every ~0.1 ms ({@link AgentChildren});
 *   <li><b>registered</b>: the NodeCreated event of the instance znode with the new pid (in place: the same path,
 *       after its deletion in the same transaction; leader path: a new id), seen by a separate ZooKeeper session
 *       through a persistent recursive watch. Its pid must be the one seen running.
 * </ul>
 *
 * <p>supervisord: its own instance with a private config and socket in the work directory, {@code copies} programs
 * of {@code sleep 100000}, {@code autorestart=true}, {@code startsecs} left at its default (1 s; every victim has
 * been up longer). Times SIGKILL &rarr; a new child of supervisord whose command line is {@code sleep}, polled the
 * same way.
 *
 * <p>System properties: {@code kills} (200), {@code copies} (10), {@code warmup} (10 kills not counted, per phase),
 * {@code localAttempts} (1000), {@code leaderKills} (= kills; 0 skips the leader path), {@code readyKills} (50; 0
 * skips), {@code readyCopies} (5), {@code readyPeriodMs} (100), {@code python}, {@code supervisorKills} (= kills;
 * 0 skips supervisord), {@code bench.dir}, {@code bench.png}.
 */
public final class KillReplaceBench {
  private static final long MIN_UPTIME_MS = 1_000;
  private static final long MARGIN_MS = 300;
  private static final String ROOT = "/shepherd";

  private KillReplaceBench() {}

  /** The samples of one phase, in ms after SIGKILL (stages: between the two named events). */
  record Phase(List<Double> running, List<Double> registered, List<Double> ready, List<Double> deleted,
      List<Double> assigned, List<Double> launched) {
    Phase() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
          new ArrayList<>());
    }
  }

  public static void main(String[] args) throws Exception {
    int kills = Bench.intArg("kills", 200);
    int copies = Bench.intArg("copies", 10);
    int warmup = Bench.intArg("warmup", 10);
    int localAttempts = Bench.intArg("localAttempts", 1000);
    int leaderKills = Bench.intArg("leaderKills", kills);
    int readyKills = Bench.intArg("readyKills", 50);
    int readyCopies = Bench.intArg("readyCopies", 5);
    int readyPeriodMs = Bench.intArg("readyPeriodMs", 100);
    int supervisorKills = Bench.intArg("supervisorKills", kills);
    Path dir = Bench.workDir("kill");
    Bench.log("benchmark 1: copy killed -> new process; %d kills (+%d warm-up) over %d copies in place "
        + "(localAttempts %d), %d on the leader path, %d ready-again kills over %d http copies (readiness every %d ms);"
        + " load %s; dir %s", kills, warmup, copies, localAttempts, leaderKills, readyKills, readyCopies,
        readyPeriodMs, Bench.loadAverage(), dir);

    Phase inPlace = new Phase();
    Phase leader = new Phase();
    Phase ready = new Phase();
    int zkPort = Bench.freePort();
    ServerProcess server = ServerProcess.embeddedDefault(dir, zkPort)
        .set("agent.dataDir", dir.resolve("agent"))
        .set("agent.logsPort", 0)
        .build().start().awaitUp(Duration.ofSeconds(120));
    try (ZkEvents events = new ZkEvents("127.0.0.1:" + zkPort, 30_000)) {
      Bench.await("the server to lead", Duration.ofSeconds(60), 50, server::leads);
      events.watch(ROOT + "/replicasets");
      events.watch(ROOT + "/assignments/local");
      String sleep = "\"command\": [\"sleep\", \"100000\"]";
      if (kills > 0) {
        runShepherd(server, events, "in-place", "{\"replicas\": " + copies + ", " + sleep
            + ", \"restart\": {\"localAttempts\": " + localAttempts + "}}", "sleep", kills, copies, warmup,
            localAttempts > 0, false, inPlace);
      }
      if (leaderKills > 0) {
        runShepherd(server, events, "leader-path", "{\"replicas\": " + copies + ", " + sleep
            + ", \"restart\": {\"localAttempts\": 0}}", "sleep", leaderKills, copies, warmup, false, false, leader);
      }
      if (readyKills > 0) {
        runShepherd(server, events, "web", "{\"replicas\": " + readyCopies
            + ", \"command\": [\"" + Bench.python()
            + "\", \"-m\", \"http.server\", \"${PORT}\", \"--bind\", \"127.0.0.1\"],"
            + " \"ports\": [{\"name\": \"http\"}], \"restart\": {\"localAttempts\": " + Math.max(1, localAttempts)
            + "}, \"readiness\": {\"http\": {\"port\": \"http\", \"path\": \"/\"}, \"periodMs\": " + readyPeriodMs
            + "}}", "python3", readyKills, readyCopies, Math.min(warmup, 5), true, true, ready);
      }
    } finally {
      server.stop();
    }
    List<Double> supervisor = supervisorKills > 0 ? Supervisor.run(dir, supervisorKills, copies) : List.of();

    Table t = new Table(concat("measure", Stats.header()));
    if (!inPlace.running().isEmpty()) {
      t.row("Shepherd in place: SIGKILL -> new pid running sleep", Stats.of(inPlace.running()).cells());
      t.row("Shepherd in place: SIGKILL -> instance re-registered (new pid)", Stats.of(inPlace.registered()).cells());
    }
    if (!leader.running().isEmpty()) {
      t.row("Shepherd leader path: SIGKILL -> new pid running sleep", Stats.of(leader.running()).cells());
      t.row("Shepherd leader path: SIGKILL -> replacement registered", Stats.of(leader.registered()).cells());
      t.row("  stage 1, agent: SIGKILL -> old instance znode deleted", Stats.of(leader.deleted()).cells());
      t.row("  stage 2, controller: -> replacement assignment created", Stats.of(leader.assigned()).cells());
      t.row("  stage 3, agent: -> process started, instance registered", Stats.of(leader.launched()).cells());
    }
    if (!ready.running().isEmpty()) {
      t.row("http copy in place: SIGKILL -> new pid running python3", Stats.of(ready.running()).cells());
      t.row("http copy in place: SIGKILL -> instance re-registered (not ready)",
          Stats.of(ready.registered()).cells());
      t.row("http copy in place: SIGKILL -> instance ready again", Stats.of(ready.ready()).cells());
    }
    if (!supervisor.isEmpty()) {
      t.row("supervisord: SIGKILL -> new pid running sleep", Stats.of(supervisor).cells());
    }
    System.out.println();
    System.out.print(t.render());
    List<Double> headline = inPlace.running().isEmpty() ? leader.running() : inPlace.running();
    Stats s = Stats.of(headline);
    if (!supervisor.isEmpty() && !headline.isEmpty()) {
      Stats v = Stats.of(supervisor);
      System.out.printf(Locale.ROOT, "ratio supervisord / Shepherd (%s, running): p50 %.0fx, p90 %.0fx, p99 %.0fx%n",
          inPlace.running().isEmpty() ? "leader path" : "in place", v.p50() / s.p50(), v.p90() / s.p90(),
          v.p99() / s.p99());
      System.out.printf(Locale.ROOT, "goal: p50 <= 2 ms (%s), p99 <= 10 ms (%s), >= 400x supervisord at p50 (%s)%n",
          s.p50() <= 2 ? "met" : "MISSED", s.p99() <= 10 ? "met" : "MISSED",
          v.p50() / s.p50() >= 400 ? "met" : "MISSED");
    }
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    Samples.write(dir.resolve("kill-inplace.csv"), inPlace.running());
    Samples.write(dir.resolve("kill-inplace-registered.csv"), inPlace.registered());
    Samples.write(dir.resolve("kill-leader.csv"), leader.running());
    Samples.write(dir.resolve("kill-ready.csv"), ready.ready());
    Samples.write(dir.resolve("kill-supervisord.csv"), supervisor);
    Map<String, List<Double>> series = Plot.series();
    if (!inPlace.running().isEmpty()) {
      series.put("Shepherd, in place", inPlace.running());
    }
    if (!leader.running().isEmpty()) {
      series.put("Shepherd, leader path", leader.running());
    }
    if (!supervisor.isEmpty()) {
      series.put("supervisord", supervisor);
    }
    Path png = Path.of(System.getProperty("bench.png", dir.resolve("kill-replace.png").toString()));
    Plot.cdf(png, "SIGKILL of a copy -> new process running (" + copies + " copies of sleep)",
        "milliseconds after SIGKILL (log scale)", series);
    System.out.println("samples: " + dir + "/kill-*.csv; plot: " + png);
    Children.stopAll();
  }

  /**
   * One phase: creates replica set {@code set} from {@code spec}, kills its copies {@code warmup + kills} times,
   * records into {@code out}, deletes the set. {@code inPlace}: the same instance id comes back; {@code waitReady}:
   * each round also waits for the instance's ready flag (and victims are chosen among ready copies).
   */
  private static void runShepherd(ServerProcess server, ZkEvents events, String set, String spec, String command,
      int kills, int copies, int warmup, boolean inPlace, boolean waitReady, Phase out) throws Exception {
    String instances = ROOT + "/replicasets/" + set + "/instances";
    String assignments = ROOT + "/assignments/local/";
    var r = Bench.put(server.api() + "/replicasets/" + set, spec);
    if (!Bench.ok(r)) {
      throw new IllegalStateException("cannot create the replica set: " + (r == null ? "no answer" : r.body()));
    }
    Bench.await(copies + " copies of " + set + (waitReady ? " ready" : " registered"), Duration.ofSeconds(60), 20,
        () -> {
          List<String> ids = children(events, instances);
          return ids.size() == copies && (!waitReady
              || ids.stream().allMatch(id -> read(events, instances + "/" + id).map(InstanceRecord::ready)
                  .orElse(false)));
        });
    Map<String, InstanceRecord> live = new HashMap<>();
    for (String id : children(events, instances)) {
      live.put(id, read(events, instances + "/" + id).orElseThrow());
    }
    Bench.log("%s: %d copies running; killing one at a time", set, copies);
    StringBuilder killLog = new StringBuilder("sigkill_at,instance,old_pid,new_pid,running_ms,registered_ms\n");
    for (int round = 0; round < warmup + kills; round++) {
      InstanceRecord victim = live.values().stream()
          .min((a, b) -> a.startedAt().compareTo(b.startedAt())).orElseThrow();
      long waitMs = victim.startedAt().toEpochMilli() + MIN_UPTIME_MS + MARGIN_MS - Instant.now().toEpochMilli();
      if (waitMs > 0) {
        Thread.sleep(waitMs);
      }
      events.drain();
      // The agent's threads as they are now: the thread that starts the victim's copy again (its exit watcher) was
      // created after the last kill.
      AgentChildren agentChildren = AgentChildren.of(server.pid(), "shepherd-agent", command);
      Set<Long> known = agentChildren.running();
      ProcessHandle p = ProcessHandle.of(victim.pid())
          .orElseThrow(() -> new IllegalStateException("pid " + victim.pid() + " of " + victim.id() + " is gone"));
      Instant wall = Instant.now();
      long t0 = System.nanoTime();
      if (!p.destroyForcibly()) {
        throw new IllegalStateException("cannot SIGKILL " + victim.pid());
      }
      String victimPath = instances + "/" + victim.id();
      long running = -1;
      long newPid = -1;
      long deleted = -1;
      long assigned = -1;
      String created = null;
      long createdAt = -1;
      long readyAt = -1;
      InstanceRecord replacement = null;
      long deadline = t0 + Duration.ofSeconds(10).toNanos();
      while (running < 0 || created == null || deleted < 0 || waitReady && readyAt < 0) {
        if (running < 0) {
          long pid = agentChildren.fresh(known);
          if (pid > 0) {
            running = System.nanoTime();
            newPid = pid;
          }
        }
        ZkEvents.Stamped e;
        while ((e = events.poll(0)) != null) {
          if (e.type() == EventType.NodeDeleted && e.path().equals(victimPath)) {
            deleted = e.nanos();
          } else if (e.type() == EventType.NodeCreated && e.path().startsWith(assignments) && assigned < 0) {
            assigned = e.nanos();
          } else if (e.type() == EventType.NodeCreated && e.path().startsWith(instances + "/") && created == null) {
            String id = e.path().substring(instances.length() + 1);
            if (inPlace ? id.equals(victim.id()) && deleted >= 0 : !live.containsKey(id)) {
              created = id;
              createdAt = e.nanos();
            }
          } else if (waitReady && e.type() == EventType.NodeDataChanged && created != null
              && e.path().equals(instances + "/" + created)) {
            Optional<InstanceRecord> now = read(events, e.path());
            if (now.isPresent() && now.get().ready() && now.get().pid() != victim.pid()) {
              readyAt = e.nanos();
            }
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(set + ": no replacement of " + victim.id() + " within 10 s (running "
              + (running > 0) + ", registered " + (created != null) + ", ready " + (readyAt > 0) + ")");
        }
        AgentChildren.pause();
      }
      replacement = read(events, instances + "/" + created).orElseThrow();
      if (replacement.pid() != newPid) {
        throw new IllegalStateException(set + ": registered pid " + replacement.pid() + " is not the new process "
            + newPid + " seen running");
      }
      if (ProcessHandle.of(newPid).filter(ProcessHandle::isAlive).isEmpty()) {
        throw new IllegalStateException(set + ": replacement pid " + newPid + " is not running");
      }
      live.remove(victim.id());
      live.put(created, replacement);
      // For lining kills up with the server's log (its lines carry wall-clock milliseconds).
      killLog.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%.3f%n", wall, victim.id(), victim.pid(), newPid,
          Bench.ms(running - t0), Bench.ms(createdAt - t0)));
      if (round >= warmup) {
        out.running().add(Bench.ms(running - t0));
        out.registered().add(Bench.ms(createdAt - t0));
        if (readyAt > 0) {
          out.ready().add(Bench.ms(readyAt - t0));
        }
        out.deleted().add(Bench.ms(deleted - t0));
        if (assigned > 0) {
          out.assigned().add(Bench.ms(assigned - deleted));
          out.launched().add(Bench.ms(createdAt - assigned));
        }
      }
      if ((round + 1) % 25 == 0) {
        Stats s = Stats.of(out.running());
        Stats g = Stats.of(waitReady ? out.ready() : out.registered());
        Bench.log("%s: %d/%d kills; running p50 %s ms, p99 %s ms; %s p50 %s ms, p99 %s ms", set, round + 1,
            warmup + kills, Stats.ms(s.p50()), Stats.ms(s.p99()), waitReady ? "ready" : "registered",
            Stats.ms(g.p50()), Stats.ms(g.p99()));
      }
    }
    Files.writeString(server.dir().resolve("kills-" + set + ".csv"), killLog);
    Bench.delete(server.api() + "/replicasets/" + set);
    AgentChildren agentChildren = AgentChildren.of(server.pid(), "shepherd-agent", command);
    Bench.await(set + " gone", Duration.ofSeconds(60), 50, () -> children(events, instances).isEmpty()
        && agentChildren.running().isEmpty());
  }

  private static List<String> children(ZkEvents events, String path) {
    try {
      return events.zk().getChildren(path, false);
    } catch (Exception e) {
      return List.of();
    }
  }

  private static Optional<InstanceRecord> read(ZkEvents events, String path) {
    try {
      return Optional.of(RecordCodec.read(events.zk().getData(path, false, null), InstanceRecord.class));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  static <T> List<T> concat(T first, List<T> rest) {
    List<T> out = new ArrayList<>();
    out.add(first);
    out.addAll(rest);
    return out;
  }

  /** Raw samples, one per line, for re-plotting. */
  static final class Samples {
    static void write(Path file, List<Double> values) throws java.io.IOException {
      StringBuilder b = new StringBuilder();
      values.forEach(v -> b.append(String.format(Locale.ROOT, "%.3f%n", v)));
      Files.writeString(file, b);
    }
  }

  /** The supervisord half of the benchmark. */
  static final class Supervisor {
    static List<Double> run(Path dir, int kills, int copies) throws Exception {
      Path sdir = dir.resolve("supervisor");
      Files.createDirectories(sdir);
      Path conf = sdir.resolve("supervisord.conf");
      StringBuilder c = new StringBuilder();
      c.append("[unix_http_server]\nfile=").append(sdir.resolve("supervisor.sock")).append("\nchmod=0700\n\n")
          .append("[supervisord]\nnodaemon=true\nlogfile=").append(sdir.resolve("supervisord.log"))
          .append("\npidfile=").append(sdir.resolve("supervisord.pid"))
          .append("\nchildlogdir=").append(sdir).append("\nloglevel=info\n\n")
          .append("[rpcinterface:supervisor]\n")
          .append("supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n")
          .append("[supervisorctl]\nserverurl=unix://").append(sdir.resolve("supervisor.sock")).append("\n\n");
      for (int i = 0; i < copies; i++) {
        c.append("[program:sleeper").append(i).append("]\ncommand=sleep 100000\nautorestart=true\n")
            .append("stdout_logfile=NONE\nstderr_logfile=NONE\n\n");
      }
      Files.writeString(conf, c);
      Process sup = Children.start(List.of("supervisord", "-c", conf.toString()), sdir.resolve("stdout.log"));
      AgentChildren sleepers = AgentChildren.ofMainThread(sup.pid(), "sleep");
      List<Double> latency = new ArrayList<>();
      try {
        Bench.await("supervisord to run " + copies + " copies", Duration.ofSeconds(30), 20,
            () -> sleepers.running().size() == copies);
        Map<Long, Long> seenAt = new HashMap<>();
        long now = System.nanoTime();
        sleepers.running().forEach(pid -> seenAt.put(pid, now));
        Bench.log("supervisord: %d copies running; killing one at a time", copies);
        for (int round = 0; round < kills; round++) {
          long victim = seenAt.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
          long upMs = (System.nanoTime() - seenAt.get(victim)) / 1_000_000;
          if (upMs < MIN_UPTIME_MS + MARGIN_MS) {
            Thread.sleep(MIN_UPTIME_MS + MARGIN_MS - upMs);
          }
          ProcessHandle p = ProcessHandle.of(victim).orElseThrow();
          long t0 = System.nanoTime();
          p.destroyForcibly();
          long deadline = t0 + Duration.ofSeconds(30).toNanos();
          Long fresh = null;
          while (fresh == null) {
            long pid = sleepers.fresh(seenAt.keySet());
            if (pid > 0) {
              fresh = pid;
            } else {
              if (System.nanoTime() > deadline) {
                throw new IllegalStateException("supervisord did not restart pid " + victim + " within 30 s");
              }
              AgentChildren.pause();
            }
          }
          long t1 = System.nanoTime();
          latency.add(Bench.ms(t1 - t0));
          seenAt.remove(victim);
          seenAt.put(fresh, t1);
          if ((round + 1) % 25 == 0) {
            Stats s = Stats.of(latency);
            Bench.log("supervisord: %d/%d kills; so far p50 %s ms, p99 %s ms", round + 1, kills,
                Stats.ms(s.p50()), Stats.ms(s.p99()));
          }
        }
      } finally {
        Children.stop(sup, 10_000);
      }
      return latency;
    }
  }
}
