package io.shepherd.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.zookeeper.Watcher.Event.EventType;

/**
 * Benchmark 2: an agent with {@code copies} copies is SIGKILLed; how long until all of them are registered on the
 * other agents.
 *
 * <p>Each round starts afresh: a Shepherd server ({@code server conf/shepherd.yml}, embedded ZooKeeper, its local
 * agent off), then the victim, a separate agent JVM started the README's way ({@code java -jar
 * worker/target/shepherd-worker.jar agent victim.yml}, REGISTER_ONLY: copies register without processes), which
 * alone gets {@code sets} replica sets of {@code copies / sets} copies; then {@code receivers} REGISTER_ONLY agents
 * in one more JVM ({@link AgentsMain}), which first start and stop {@code copies} copies of warm-up replica sets of
 * their own (pinned to them by a label), so that the JVMs that handle the loss are warm, as in a running cluster.
 * The measured sets select {@code pool: bench}, a label of the victim and the receivers, and are placed while only
 * the victim runs. The victim is SIGKILLed; its session expires after the session timeout, its
 * ephemeral znodes vanish, and the leader reschedules. Times: SIGKILL &rarr; {@code /nodes/victim} deleted (the
 * session expiry), and SIGKILL &rarr; the last of the {@code copies} replacement instance znodes created, as seen by
 * the benchmark's own session (persistent recursive watch).
 *
 * <p>System properties: {@code rounds} (5), {@code copies} (1000), {@code sets} (100), {@code receivers} (3),
 * {@code sessionTimeoutMs} (6000, asked by every agent; the embedded ZooKeeper's tick of 500 ms bounds it to
 * 1..10 s), {@code bench.dir}.
 */
public final class AgentLossBench {
  private static final String ROOT = "/shepherd";

  private AgentLossBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = Bench.intArg("rounds", 5);
    int copies = Bench.intArg("copies", 1000);
    int sets = Bench.intArg("sets", 100);
    int receivers = Bench.intArg("receivers", 3);
    int sessionMs = Bench.intArg("sessionTimeoutMs", 6000);
    Path dir = Bench.workDir("agent-loss");
    Bench.log("benchmark 2: agent with %d copies SIGKILLed; %d rounds; session timeout asked %d ms; load %s; dir %s",
        copies, rounds, sessionMs, Bench.loadAverage(), dir);
    List<Double> expiry = new ArrayList<>();
    List<Double> total = new ArrayList<>();
    List<Double> afterExpiry = new ArrayList<>();
    List<Double> assigned = new ArrayList<>();
    int negotiated = -1;
    for (int r = 0; r < rounds; r++) {
      double[] m = round(dir.resolve("round-" + r), copies, sets, receivers, sessionMs);
      negotiated = (int) m[3];
      expiry.add(m[0]);
      total.add(m[1]);
      afterExpiry.add(m[2]);
      assigned.add(m[4]);
      Bench.log("round %d: SIGKILL -> node gone %.0f ms; -> all %d registered elsewhere %.0f ms (%.0f ms after "
          + "the node vanished; the controller had assigned all %.0f ms after it)", r + 1, m[0], copies, m[1], m[2],
          m[4]);
    }
    Table t = new Table(KillReplaceBench.concat("measure (per round)", Stats.header()));
    t.row("SIGKILL -> victim's session expired (/nodes/victim gone)", Stats.of(expiry).cells());
    t.row("SIGKILL -> all " + copies + " copies registered elsewhere", Stats.of(total).cells());
    t.row("  victim's node gone -> all registered elsewhere", Stats.of(afterExpiry).cells());
    t.row("  victim's node gone -> all re-assigned (controller)", Stats.of(assigned).cells());
    System.out.println();
    System.out.print(t.render());
    Stats s = Stats.of(total);
    System.out.printf(Locale.ROOT, "session timeout: asked %d ms, negotiated %d ms; goal: max <= %d ms (%s)%n",
        sessionMs, negotiated, negotiated + 500, s.max() <= negotiated + 500 ? "met" : "MISSED");
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    Children.stopAll();
  }

  /**
   * One round: {kill -> node gone, kill -> all registered, node gone -> all registered, negotiated timeout,
   * node gone -> all assignments created}.
   */
  private static double[] round(Path dir, int copies, int sets, int receivers, int sessionMs) throws Exception {
    Files.createDirectories(dir);
    int zkPort = Bench.freePort();
    String connect = "127.0.0.1:" + zkPort;
    ServerProcess server = ServerProcess.embeddedDefault(dir, zkPort)
        .set("agent.enabled", false)
        .build().start().awaitUp(Duration.ofSeconds(120));
    Process victim = null;
    Process others = null;
    try (ZkEvents events = new ZkEvents(connect, sessionMs)) {
      Bench.await("the server to lead", Duration.ofSeconds(60), 50, server::leads);
      Path yml = dir.resolve("victim.yml");
      Files.writeString(yml, String.join("\n",
          "zookeeper:", "  connect: " + connect, "  sessionTimeoutMs: " + sessionMs,
          "agent:", "  nodeId: victim", "  host: 127.0.0.1", "  capacity: " + copies, "  labels:", "    pool: bench",
          "  dataDir: " + dir.resolve("victim"), "  launcher: REGISTER_ONLY", "  logs:", "    enabled: false", ""));
      victim = Children.start(List.of(Children.javaBin(), "-jar", Bench.workerJar().toString(), "agent",
          yml.toString()), dir.resolve("victim.log"));
      Bench.await("the victim agent to register", Duration.ofSeconds(60), 20,
          () -> exists(events, ROOT + "/nodes/victim"));
      int perSet = copies / sets;
      for (int i = 0; i < sets; i++) {
        var res = Bench.put(server.api() + "/replicasets/set-" + i, "{\"replicas\": " + perSet
            + ", \"command\": [\"sleep\", \"100000\"], \"nodeSelector\": {\"pool\": \"bench\"}}");
        if (!Bench.ok(res)) {
          throw new IllegalStateException("cannot create set-" + i + ": " + (res == null ? "no answer" : res.body()));
        }
      }
      Set<String> before = new HashSet<>();
      Bench.await(copies + " copies registered on the victim", Duration.ofSeconds(120), 100, () -> {
        before.clear();
        before.addAll(instanceIds(events, sets));
        return before.size() == sets * perSet;
      });
      others = Children.benchJvm(AgentsMain.class.getName(), List.of(), List.of("connect=" + connect,
          "prefix=receiver", "count=" + receivers, "capacity=" + (2 * copies), "sessionMs=" + sessionMs,
          "dir=" + dir.resolve("receivers"), "labels=pool:bench,role:receiver"), dir.resolve("receivers.log"));
      Bench.await(receivers + " receiving agents", Duration.ofSeconds(60), 20,
          () -> children(events, ROOT + "/nodes").size() == receivers + 1);
      warmUp(server, events, copies);
      events.watch(ROOT + "/replicasets");
      events.watch(ROOT + "/nodes");
      events.watch(ROOT + "/assignments");
      events.drain();
      long serverCpu0 = RestBench.cpuMillis(server.pid());
      long othersCpu0 = RestBench.cpuMillis(others.pid());
      var serverThreads0 = ThreadCpu.snapshot(server.pid());
      var othersThreads0 = ThreadCpu.snapshot(others.pid());
      long t0 = System.nanoTime();
      victim.destroyForcibly();
      long gone = -1;
      long last = -1;
      long lastAssigned = -1;
      Set<String> fresh = new HashSet<>();
      Set<String> freshAssignments = new HashSet<>();
      long deadline = t0 + Duration.ofMillis(sessionMs + 60_000).toNanos();
      while (fresh.size() < sets * perSet) {
        ZkEvents.Stamped e = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (e == null) {
          throw new IllegalStateException("only " + fresh.size() + " replacements after " + (sessionMs + 60_000) + " ms");
        }
        if (e.type() == EventType.NodeDeleted && e.path().equals(ROOT + "/nodes/victim")) {
          gone = e.nanos();
        } else if (e.type() == EventType.NodeCreated && e.path().startsWith(ROOT + "/assignments/receiver")) {
          if (freshAssignments.add(e.path()) && freshAssignments.size() == sets * perSet) {
            lastAssigned = e.nanos();
          }
        } else if (e.type() == EventType.NodeCreated && e.path().contains("/instances/")) {
          String id = e.path().substring(e.path().lastIndexOf('/') + 1);
          if (!before.contains(id) && fresh.add(id)) {
            last = e.nanos();
          }
        }
      }
      int negotiated = events.zk().getSessionTimeout();
      Bench.log("CPU used from SIGKILL until all were registered: server JVM %d ms, receiving agents' JVM %d ms",
          RestBench.cpuMillis(server.pid()) - serverCpu0, RestBench.cpuMillis(others.pid()) - othersCpu0);
      Bench.log("  server threads: %s", ThreadCpu.top(serverThreads0, ThreadCpu.snapshot(server.pid()), 8));
      Bench.log("  agents' threads: %s", ThreadCpu.top(othersThreads0, ThreadCpu.snapshot(others.pid()), 8));
      return new double[] {Bench.ms(gone - t0), Bench.ms(last - t0), Bench.ms(last - gone), negotiated,
          lastAssigned < 0 ? Double.NaN : Bench.ms(lastAssigned - gone)};
    } finally {
      if (others != null) {
        Children.stop(others, 5_000);
      }
      if (victim != null) {
        victim.destroyForcibly();
      }
      server.stop();
    }
  }

  /**
   * Has the receiving agents (and the server) start and stop {@code copies} copies of their own first, so that the
   * loss is handled by warm JVMs, as in a cluster that has been running, not by code the JIT has never seen.
   */
  private static void warmUp(ServerProcess server, ZkEvents events, int copies) throws Exception {
    int warmSets = copies / 10;
    for (int i = 0; i < warmSets; i++) {
      Bench.put(server.api() + "/replicasets/warm-" + i, "{\"replicas\": 10, \"command\": [\"sleep\", \"1\"], "
          + "\"nodeSelector\": {\"role\": \"receiver\"}}");
    }
    Bench.await("warm-up copies on the receivers", Duration.ofSeconds(120), 100, () -> {
      int n = 0;
      for (int i = 0; i < warmSets; i++) {
        n += children(events, ROOT + "/replicasets/warm-" + i + "/instances").size();
      }
      return n == warmSets * 10;
    });
    for (int i = 0; i < warmSets; i++) {
      Bench.delete(server.api() + "/replicasets/warm-" + i);
    }
    Bench.await("warm-up sets gone", Duration.ofSeconds(120), 100, () -> {
      for (int i = 0; i < warmSets; i++) {
        if (exists(events, ROOT + "/replicasets/warm-" + i)) {
          return false;
        }
      }
      return true;
    });
  }

  private static Set<String> instanceIds(ZkEvents events, int sets) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < sets; i++) {
      ids.addAll(children(events, ROOT + "/replicasets/set-" + i + "/instances"));
    }
    return ids;
  }

  static boolean exists(ZkEvents events, String path) {
    try {
      return events.zk().exists(path, false) != null;
    } catch (Exception e) {
      return false;
    }
  }

  static List<String> children(ZkEvents events, String path) {
    try {
      return events.zk().getChildren(path, false);
    } catch (Exception e) {
      return List.of();
    }
  }
}
