package io.shepherd.bench;

import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.RecordCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 8: what {@code copies} http readiness probes, one per copy every {@code periodMs}, cost the agent that
 * runs them.
 *
 * <p>A Shepherd server ({@code server conf/shepherd.yml}, embedded ZooKeeper, its local agent off) and one agent JVM
 * started the README's way ({@code java -jar worker/target/shepherd-worker.jar agent agent.yml}) with
 * {@code launcher: REGISTER_ONLY} (copies register without processes: 1,000 real servers on 2 cores would measure
 * them, not the agent) and a port range of exactly {@code copies} ports from {@code portFrom}; the leader gives each
 * copy one port of it ({@code PortPicker}: every port of the range, since there are as many copies as ports). A
 * separate JVM ({@link HttpPortsMain}) listens on every port of the range and answers each GET with a real HTTP/1.0
 * 200 and a closed connection, so every probe is a real TCP connection and HTTP exchange on loopback; only the copy
 * behind the port is not a process of its own. {@code sets} replica sets share the copies, each with
 * {@code readiness: {http: {port: http, path: /}, periodMs}}; {@code -DperiodMs=0} declares no probe (the baseline).
 *
 * <p>Once every copy is ready (or registered, without probes) the benchmark waits {@code settleSeconds} (JIT, the
 * probes' phases spreading), then measures the agent JVM's CPU time (user + system, {@code /proc/<pid>/stat}) over
 * {@code windowSeconds}, as a share of one core, with its threads by group, and the requests the listeners answered
 * in the window.
 *
 * <p>System properties: {@code copies} (1000), {@code sets} (10), {@code periodMs} (1000), {@code portFrom} (31000),
 * {@code settleSeconds} (30), {@code windowSeconds} (60), {@code bench.agentJvmArgs} (flags for the agent JVM, e.g.
 * to record a JFR profile), {@code bench.dir}.
 */
public final class ProbeCostBench {
  private static final String ROOT = "/shepherd";

  private ProbeCostBench() {}

  public static void main(String[] args) throws Exception {
    int copies = Bench.intArg("copies", 1000);
    int sets = Bench.intArg("sets", 10);
    int periodMs = Bench.intArg("periodMs", 1000);
    int portFrom = Bench.intArg("portFrom", 31000);
    int settle = Bench.intArg("settleSeconds", 30);
    int window = Bench.intArg("windowSeconds", 60);
    int portTo = portFrom + copies - 1;
    Path dir = Bench.workDir("probe-cost");
    Bench.log("benchmark 8: probe cost; %d copies on one REGISTER_ONLY agent, %s; ports %d..%d; load %s; dir %s",
        copies, periodMs > 0 ? "an http readiness probe every " + periodMs + " ms each" : "no probes (baseline)",
        portFrom, portTo, Bench.loadAverage(), dir);
    int zkPort = Bench.freePort();
    String connect = "127.0.0.1:" + zkPort;
    Path countFile = dir.resolve("answered.txt");
    Process listeners = Children.benchJvm(HttpPortsMain.class.getName(), List.of("-Xmx128m"),
        List.of(Integer.toString(portFrom), Integer.toString(portTo), countFile.toString()), dir.resolve("ports.log"));
    ServerProcess server = ServerProcess.embeddedDefault(dir, zkPort)
        .set("agent.enabled", false)
        .build().start().awaitUp(Duration.ofSeconds(120));
    Process agent = null;
    try (ZkEvents events = new ZkEvents(connect, 30_000)) {
      Bench.await("the listeners on " + copies + " ports", Duration.ofSeconds(60), 50,
          () -> Files.exists(countFile));
      Bench.await("the server to lead", Duration.ofSeconds(60), 50, server::leads);
      Path yml = dir.resolve("agent.yml");
      Files.writeString(yml, String.join("\n",
          "zookeeper:", "  connect: " + connect, "  " + BenchZkAuth.agentYaml(dir).replace("}, acl: ", "}\n  acl: "),
          "agent:", "  nodeId: prober", "  host: 127.0.0.1", "  capacity: " + copies,
          "  dataDir: " + dir.resolve("agent"), "  launcher: REGISTER_ONLY", "  logs:", "    enabled: false",
          "  ports:", "    from: " + portFrom, "    to: " + portTo, ""));
      List<String> cmd = new ArrayList<>(List.of(Children.javaBin()));
      // For profiling, e.g. -Dbench.agentJvmArgs=-XX:StartFlightRecording=filename=/tmp/a.jfr,settings=profile
      String extra = System.getProperty("bench.agentJvmArgs", "").trim();
      if (!extra.isEmpty()) {
        cmd.addAll(List.of(extra.split("\\s+")));
      }
      cmd.addAll(List.of("-jar", Bench.workerJar().toString(), "agent", yml.toString()));
      agent = Children.start(cmd, dir.resolve("agent.log"));
      Process a = agent;
      Bench.await("the agent to register", Duration.ofSeconds(60), 20, () -> {
        if (!a.isAlive()) {
          throw new IllegalStateException("the agent exited; see " + dir.resolve("agent.log"));
        }
        return AgentLossBench.exists(events, ROOT + "/nodes/prober");
      });
      String probe = periodMs > 0
          ? ", \"readiness\": {\"http\": {\"port\": \"http\", \"path\": \"/\"}, \"periodMs\": " + periodMs + "}" : "";
      for (int i = 0; i < sets; i++) {
        var r = Bench.put(server.api() + "/replicasets/set-" + i, "{\"replicas\": " + copies / sets
            + ", \"command\": [\"sleep\", \"100000\"], \"ports\": [{\"name\": \"http\"}]" + probe + "}");
        if (!Bench.ok(r)) {
          throw new IllegalStateException("cannot create set-" + i + ": " + (r == null ? "no answer" : r.body()));
        }
      }
      Bench.await(copies + " copies registered and ready", Duration.ofSeconds(300), 2000,
          () -> ready(events, sets) == copies);
      Bench.log("%d copies ready; settling %d s", copies, settle);
      Thread.sleep(settle * 1000L);
      long cpu0 = RestBench.cpuMillis(agent.pid());
      long listenersCpu0 = RestBench.cpuMillis(listeners.pid());
      var threads0 = ThreadCpu.snapshot(agent.pid());
      long answered0 = answered(countFile);
      String load0 = Bench.loadAverage();
      long t0 = System.nanoTime();
      Thread.sleep(window * 1000L);
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      long cpu = RestBench.cpuMillis(agent.pid()) - cpu0;
      long listenersCpu = RestBench.cpuMillis(listeners.pid()) - listenersCpu0;
      long answered = answered(countFile) - answered0;
      int stillReady = ready(events, sets);
      double share = 100.0 * cpu / elapsedMs;
      Table t = new Table(List.of("measure", "value"));
      t.row(List.of("copies on the agent (ready at the end)", copies + " (" + stillReady + ")"));
      t.row(List.of("probes", periodMs > 0 ? "http readiness every " + periodMs + " ms each" : "none"));
      t.row(List.of("window", String.format(Locale.ROOT, "%.1f s after a %d s settle (load %s at its start)",
          elapsedMs / 1000.0, settle, load0)));
      t.row(List.of("HTTP requests answered by the listeners in the window",
          String.format(Locale.ROOT, "%d (%.0f/s)", answered, answered * 1000.0 / elapsedMs)));
      t.row(List.of("agent JVM CPU (user + system)", String.format(Locale.ROOT, "%d ms = %.2f %% of one core", cpu,
          share)));
      t.row(List.of("agent CPU per probe", answered > 0
          ? String.format(Locale.ROOT, "%.0f us", 1000.0 * cpu / answered) : "-"));
      t.row(List.of("listeners' JVM CPU (context)", String.format(Locale.ROOT, "%d ms = %.2f %% of one core",
          listenersCpu, 100.0 * listenersCpu / elapsedMs)));
      System.out.println();
      System.out.print(t.render());
      System.out.println("agent threads in the window: "
          + ThreadCpu.top(threads0, ThreadCpu.snapshot(agent.pid()), 10));
      if (periodMs > 0) {
        System.out.printf(Locale.ROOT, "goal: agent CPU <= 5 %% of one core: %s (%.2f %%)%n",
            share <= 5 ? "met" : "MISSED", share);
      }
      System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    } finally {
      if (agent != null) {
        Children.stop(agent, 10_000);
      }
      server.stop();
      Children.stop(listeners, 5_000);
    }
    Children.stopAll();
  }

  private static long answered(Path countFile) throws java.io.IOException {
    return Long.parseLong(Files.readString(countFile).trim());
  }

  /** Copies registered and ready in set-0..set-{sets-1}. */
  private static int ready(ZkEvents events, int sets) {
    int n = 0;
    for (int i = 0; i < sets; i++) {
      String instances = ROOT + "/replicasets/set-" + i + "/instances";
      for (String id : AgentLossBench.children(events, instances)) {
        try {
          if (RecordCodec.read(events.zk().getData(instances + "/" + id, false, null), InstanceRecord.class).ready()) {
            n++;
          }
        } catch (Exception e) {
          // gone between the two reads
        }
      }
    }
    return n;
  }
}
