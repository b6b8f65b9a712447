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
 * Benchmark 1: a copy is SIGKILLed; how long until its replacement is registered and running. The same kills
 * against supervisord, for comparison.
 *
 * <p>Shepherd runs as the README's default ({@code server conf/shepherd.yml}: embedded ZooKeeper, controller, REST
 * and the local agent in one JVM) with {@code copies} copies of {@code sleep 100000}. Each round kills the copy that
 * has been up longest (round-robin; never one younger than the crash-loop minUptime of 1 s plus a margin, so no kill
 * counts as a crash), and times SIGKILL &rarr; the NodeCreated event of the replacement's instance znode, seen by a
 * separate ZooKeeper session through a persistent recursive watch. The replacement's pid, read from the znode, must
 * be alive and be {@code sleep}.
 *
 * <p>supervisord: its own instance with a private config and socket in the work directory, {@code copies} programs
 * of {@code sleep 100000}, {@code autorestart=true}, {@code startsecs} left at its default (1 s; every victim has
 * been up longer). Times SIGKILL &rarr; a new child of supervisord whose command line is {@code sleep}, polling
 * {@code /proc/<supervisord>/task/<pid>/children} every millisecond.
 *
 * <p>System properties: {@code kills} (200), {@code copies} (10), {@code warmup} (10 kills not counted),
 * {@code supervisorKills} (= kills; 0 skips supervisord), {@code bench.dir}, {@code bench.png}.
 */
public final class KillReplaceBench {
  private static final long MIN_UPTIME_MS = 1_000;
  private static final long MARGIN_MS = 300;
  private static final String ROOT = "/shepherd";

  private KillReplaceBench() {}

  public static void main(String[] args) throws Exception {
    int kills = Bench.intArg("kills", 200);
    int copies = Bench.intArg("copies", 10);
    int warmup = Bench.intArg("warmup", 10);
    int supervisorKills = Bench.intArg("supervisorKills", kills);
    Path dir = Bench.workDir("kill");
    Bench.log("benchmark 1: copy killed -> replacement; %d kills (+%d warm-up) over %d copies; load %s; dir %s",
        kills, warmup, copies, Bench.loadAverage(), dir);

    List<Double> shepherd = new ArrayList<>();
    List<Double> detect = new ArrayList<>();
    List<Double> decide = new ArrayList<>();
    List<Double> launch = new ArrayList<>();
    runShepherd(dir, kills, copies, warmup, shepherd, detect, decide, launch);
    List<Double> supervisor = supervisorKills > 0 ? Supervisor.run(dir, supervisorKills, copies) : List.of();

    Table t = new Table(concat("measure", Stats.header()));
    t.row("Shepherd: SIGKILL -> replacement registered and running", Stats.of(shepherd).cells());
    t.row("  stage 1, agent: SIGKILL -> old instance znode deleted", Stats.of(detect).cells());
    t.row("  stage 2, controller: -> replacement assignment created", Stats.of(decide).cells());
    t.row("  stage 3, agent: -> process started, instance registered", Stats.of(launch).cells());
    if (!supervisor.isEmpty()) {
      t.row("supervisord: SIGKILL -> new pid running sleep", Stats.of(supervisor).cells());
    }
    System.out.println();
    System.out.print(t.render());
    if (!supervisor.isEmpty()) {
      Stats s = Stats.of(shepherd);
      Stats v = Stats.of(supervisor);
      System.out.printf(Locale.ROOT, "ratio supervisord / Shepherd: p50 %.0fx, p90 %.0fx, p99 %.0fx%n",
          v.p50() / s.p50(), v.p90() / s.p90(), v.p99() / s.p99());
    }
    Stats s = Stats.of(shepherd);
    System.out.printf(Locale.ROOT, "goal: Shepherd p50 <= 10 ms (%s), p99 <= 50 ms (%s)%n",
        s.p50() <= 10 ? "met" : "MISSED", s.p99() <= 50 ? "met" : "MISSED");
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    Samples.write(dir.resolve("kill-shepherd.csv"), shepherd);
    Samples.write(dir.resolve("kill-supervisord.csv"), supervisor);
    Map<String, List<Double>> series = Plot.series();
    series.put("Shepherd", shepherd);
    if (!supervisor.isEmpty()) {
      series.put("supervisord", supervisor);
    }
    Path png = Path.of(System.getProperty("bench.png", dir.resolve("kill-replace.png").toString()));
    Plot.cdf(png, "SIGKILL of a copy -> replacement running (" + copies + " copies of sleep)",
        "milliseconds after SIGKILL (log scale)", series);
    System.out.println("samples: " + dir + "/kill-*.csv; plot: " + png);
    Children.stopAll();
  }

  private static void runShepherd(Path dir, int kills, int copies, int warmup, List<Double> latency,
      List<Double> detect, List<Double> decide, List<Double> launch) throws Exception {
    int zkPort = Bench.freePort();
    ServerProcess server = ServerProcess.embeddedDefault(dir, zkPort)
        .set("agent.dataDir", dir.resolve("agent"))
        .set("agent.logsPort", 0)
        .build().start().awaitUp(Duration.ofSeconds(120));
    Bench.await("the server to lead", Duration.ofSeconds(60), 50, server::leads);
    String set = "sleepers";
    String instances = ROOT + "/replicasets/" + set + "/instances";
    try (ZkEvents events = new ZkEvents("127.0.0.1:" + zkPort, 30_000)) {
      var r = Bench.put(server.api() + "/replicasets/" + set,
          "{\"replicas\": " + copies + ", \"command\": [\"sleep\", \"100000\"]}");
      if (!Bench.ok(r)) {
        throw new IllegalStateException("cannot create the replica set: " + (r == null ? "no answer" : r.body()));
      }
      Bench.await(copies + " copies registered", Duration.ofSeconds(60), 20,
          () -> children(events, instances).size() == copies);
      events.watch(instances);
      String assignments = ROOT + "/assignments/local/";
      events.watch(ROOT + "/assignments/local");
      Map<String, InstanceRecord> live = new HashMap<>();
      for (String id : children(events, instances)) {
        live.put(id, read(events, instances + "/" + id).orElseThrow());
      }
      Bench.log("Shepherd: %d copies running; killing one at a time", copies);
      for (int round = 0; round < warmup + kills; round++) {
        InstanceRecord victim = live.values().stream()
            .min((a, b) -> a.startedAt().compareTo(b.startedAt())).orElseThrow();
        long waitMs = victim.startedAt().toEpochMilli() + MIN_UPTIME_MS + MARGIN_MS - Instant.now().toEpochMilli();
        if (waitMs > 0) {
          Thread.sleep(waitMs);
        }
        events.drain();
        ProcessHandle p = ProcessHandle.of(victim.pid())
            .orElseThrow(() -> new IllegalStateException("pid " + victim.pid() + " of " + victim.id() + " is gone"));
        long t0 = System.nanoTime();
        if (!p.destroyForcibly()) {
          throw new IllegalStateException("cannot SIGKILL " + victim.pid());
        }
        String victimPath = instances + "/" + victim.id();
        long deleted = -1;
        long assigned = -1;
        String created = null;
        long createdAt = -1;
        long deadline = t0 + Duration.ofSeconds(10).toNanos();
        while (created == null || deleted < 0) {
          ZkEvents.Stamped e = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
          if (e == null) {
            throw new IllegalStateException("no replacement of " + victim.id() + " within 10 s");
          }
          if (e.type() == EventType.NodeDeleted && e.path().equals(victimPath)) {
            deleted = e.nanos();
          } else if (e.type() == EventType.NodeCreated && e.path().startsWith(assignments) && assigned < 0) {
            assigned = e.nanos();
          } else if (e.type() == EventType.NodeCreated && e.path().startsWith(instances + "/")) {
            String id = e.path().substring(instances.length() + 1);
            if (!live.containsKey(id)) {
              created = id;
              createdAt = e.nanos();
            }
          }
        }
        InstanceRecord replacement = read(events, instances + "/" + created).orElseThrow();
        ProcessHandle np = ProcessHandle.of(replacement.pid()).filter(ProcessHandle::isAlive)
            .orElseThrow(() -> new IllegalStateException("replacement pid " + replacement.pid() + " is not running"));
        if (!np.info().command().map(c -> c.endsWith("sleep")).orElse(false)) {
          throw new IllegalStateException("replacement pid " + replacement.pid() + " is not sleep: " + np.info());
        }
        live.remove(victim.id());
        live.put(created, replacement);
        if (round >= warmup) {
          latency.add(Bench.ms(createdAt - t0));
          detect.add(Bench.ms(deleted - t0));
          decide.add(Bench.ms(assigned - deleted));
          launch.add(Bench.ms(createdAt - assigned));
        }
        if ((round + 1) % 25 == 0) {
          Stats s = Stats.of(latency);
          Bench.log("Shepherd: %d/%d kills; so far p50 %s ms, p99 %s ms, max %s ms", round + 1, warmup + kills,
              Stats.ms(s.p50()), Stats.ms(s.p99()), Stats.ms(s.max()));
        }
      }
      Bench.delete(server.api() + "/replicasets/" + set);
    } finally {
      server.stop();
    }
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
      Path childrenFile = Path.of("/proc", Long.toString(sup.pid()), "task", Long.toString(sup.pid()), "children");
      List<Double> latency = new ArrayList<>();
      try {
        Bench.await("supervisord to run " + copies + " copies", Duration.ofSeconds(30), 20,
            () -> sleepers(childrenFile).size() == copies);
        Map<Long, Long> seenAt = new HashMap<>();
        long now = System.nanoTime();
        sleepers(childrenFile).forEach(pid -> seenAt.put(pid, now));
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
            for (long pid : sleepers(childrenFile)) {
              if (!seenAt.containsKey(pid)) {
                fresh = pid;
              }
            }
            if (fresh == null) {
              if (System.nanoTime() > deadline) {
                throw new IllegalStateException("supervisord did not restart pid " + victim + " within 30 s");
              }
              Thread.sleep(1);
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

    /** supervisord's children that have exec'd sleep (a forked child still runs python until then). */
    private static Set<Long> sleepers(Path childrenFile) {
      Set<Long> out = new HashSet<>();
      try {
        String text = Files.readString(childrenFile).trim();
        if (text.isEmpty()) {
          return out;
        }
        for (String f : text.split("\\s+")) {
          long pid = Long.parseLong(f);
          byte[] cmd = Files.readAllBytes(Path.of("/proc", f, "cmdline"));
          if (new String(cmd, java.nio.charset.StandardCharsets.UTF_8).startsWith("sleep\0")) {
            out.add(pid);
          }
        }
      } catch (java.io.IOException e) {
        // A child vanished between the two reads: it is not a running sleeper.
      }
      return out;
    }
  }
}
