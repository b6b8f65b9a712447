package io.shepherd.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shepherd.worker.record.RecordCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.data.Stat;

/**
 * Benchmark 3: the leader is stopped (SIGTERM) or killed (SIGKILL); how long until a new leader has reconciled.
 *
 * <p>Setup: a standalone ZooKeeper in its own JVM ({@link ZooKeeperProcess}, tick {@code tickMs}); three servers
 * started the README's cluster way ({@code server conf/cluster.yml}: no embedded ZooKeeper, no agent, session
 * timeout 6 s); one REGISTER_ONLY agent JVM; {@code sets} background replica sets of 10 copies (a new leader
 * re-queues all of them) and one replica set {@code probe}.
 *
 * <p>"Reconciled" is measured as: the new leader has claimed its epoch and created the assignment for work that
 * appeared when the old leader stopped: the probe set's {@code replicas} is raised by one (a direct write of its
 * znode, as a PUT would) at the moment the old leader can no longer act on it, and the round ends at the NodeCreated
 * event of the probe's new assignment, written by the new leader's fenced transaction.
 * <ul>
 *   <li>graceful: SIGTERM at t0. The old leader deletes its latch node while it shuts down; the benchmark's watch on
 *       {@code /leader} sees the deletion and raises the probe at once. Reported: t0 &rarr; latch node gone (the old
 *       leader's shutdown), latch gone &rarr; new epoch written, latch gone &rarr; probe assigned (the hand-over:
 *       the goal), and t0 &rarr; probe assigned.
 *   <li>crash: SIGKILL at t0 and the probe raised at once. Reported: t0 &rarr; latch node gone (the session
 *       expiry), t0 &rarr; new epoch, t0 &rarr; probe assigned (the goal).
 * </ul>
 * After each round the stopped server is started again and the next round waits until all three take part.
 *
 * <p>System properties: {@code graceful} (20 rounds), {@code crash} (10 rounds), {@code sets} (100), {@code tickMs}
 * (ZooKeeper tick, 2000: ZooKeeper's default), {@code settleMs} (1000: after a stopped server is started again, before
 * the next round), {@code bench.dir}.
 */
public final class FailoverBench {
  private static final String ROOT = "/shepherd";

  private FailoverBench() {}

  public static void main(String[] args) throws Exception {
    int graceful = Bench.intArg("graceful", 20);
    int crash = Bench.intArg("crash", 10);
    int sets = Bench.intArg("sets", 100);
    int tickMs = Bench.intArg("tickMs", 2000);
    int settleMs = Bench.intArg("settleMs", 1000);
    Path dir = Bench.workDir("failover");
    Bench.log("benchmark 3: leader failover; %d graceful + %d crash rounds; %d background sets; load %s; dir %s",
        graceful, crash, sets, Bench.loadAverage(), dir);
    ZooKeeperProcess zk = ZooKeeperProcess.start(dir, tickMs);
    ServerProcess[] servers = new ServerProcess[3];
    for (int i = 0; i < 3; i++) {
      servers[i] = server(dir, zk, i).start();
    }
    for (ServerProcess s : servers) {
      s.awaitUp(Duration.ofSeconds(180));
    }
    Process agent = Children.benchJvm(AgentsMain.class.getName(), List.of(), List.of("connect=" + zk.connect(),
        "prefix=agent", "count=1", "capacity=100000", "sessionMs=6000", "dir=" + dir.resolve("agent")),
        dir.resolve("agent.log"));
    List<Double> gShutdown = new ArrayList<>();
    List<Double> gEpoch = new ArrayList<>();
    List<Double> gHandover = new ArrayList<>();
    List<Double> gTotal = new ArrayList<>();
    List<Double> cExpiry = new ArrayList<>();
    List<Double> cEpoch = new ArrayList<>();
    List<Double> cTotal = new ArrayList<>();
    int negotiated;
    try (ZkEvents events = new ZkEvents(zk.connect(), 6000)) {
      negotiated = events.zk().getSessionTimeout();
      Bench.await("a leader", Duration.ofSeconds(60), 50, () -> leader(servers) >= 0);
      Bench.await("the agent", Duration.ofSeconds(60), 50,
          () -> AgentLossBench.children(events, ROOT + "/nodes").size() == 1);
      ServerProcess any = servers[leader(servers)];
      for (int i = 0; i < sets; i++) {
        put(any, "set-" + i, 10);
      }
      put(any, "probe", 1);
      Bench.await(sets * 10 + 1 + " copies registered", Duration.ofSeconds(180), 200, () -> live(any) == sets * 10 + 1);
      events.watch(ROOT + "/leader");
      events.watch(ROOT + "/epoch");
      events.watch(ROOT + "/assignments");
      for (int round = 0; round < graceful + crash; round++) {
        boolean kill = round >= graceful;
        int l = leader(servers);
        ServerProcess old = servers[l];
        String latch = latchOf(events, old.name);
        Stat stat = new Stat();
        byte[] spec = events.zk().getData(ROOT + "/replicasets/probe", false, stat);
        ObjectNode tree = (ObjectNode) RecordCodec.mapper().readTree(spec);
        ObjectNode specNode = (ObjectNode) tree.get("spec");
        specNode.put("replicas", specNode.get("replicas").asInt() + 1);
        byte[] raised = RecordCodec.mapper().writeValueAsBytes(tree);
        int version = stat.getVersion();
        AtomicLong injected = new AtomicLong();
        Runnable inject = () -> {
          if (injected.compareAndSet(0, System.nanoTime())) {
            events.zk().setData(ROOT + "/replicasets/probe", raised, version, (rc, path, ctx, st) -> {
              if (rc != 0) {
                System.err.println("raising the probe failed: rc " + rc);
              }
            }, null);
          }
        };
        events.drain();
        events.onEvent(e -> {
          if (!kill && e.type() == EventType.NodeDeleted && e.path().equals(latch)) {
            inject.run();
          }
        });
        long t0 = System.nanoTime();
        if (kill) {
          old.process().destroyForcibly();
          inject.run();
        } else {
          old.process().destroy();
        }
        long latchGone = -1;
        long epoch = -1;
        long assigned = -1;
        long deadline = t0 + Duration.ofSeconds(60).toNanos();
        while (assigned < 0 || latchGone < 0) {
          ZkEvents.Stamped e = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
          if (e == null) {
            throw new IllegalStateException("round " + round + ": no new leader's assignment within 60 s");
          }
          if (e.type() == EventType.NodeDeleted && e.path().equals(latch)) {
            latchGone = e.nanos();
          } else if (e.type() == EventType.NodeDataChanged && e.path().equals(ROOT + "/epoch") && epoch < 0) {
            epoch = e.nanos();
          } else if (e.type() == EventType.NodeCreated && e.path().contains("/probe-") && injected.get() > 0
              && assigned < 0) {
            assigned = e.nanos();
          }
        }
        events.onEvent(e -> { });
        if (kill) {
          cExpiry.add(Bench.ms(latchGone - t0));
          cEpoch.add(Bench.ms(epoch - t0));
          cTotal.add(Bench.ms(assigned - t0));
          Bench.log("crash %d/%d: SIGKILL -> session expired %.0f ms, -> new epoch %.0f ms, -> probe assigned %.0f ms",
              round - graceful + 1, crash, Bench.ms(latchGone - t0), Bench.ms(epoch - t0), Bench.ms(assigned - t0));
        } else {
          gShutdown.add(Bench.ms(latchGone - t0));
          gEpoch.add(Bench.ms(epoch - latchGone));
          gHandover.add(Bench.ms(assigned - latchGone));
          gTotal.add(Bench.ms(assigned - t0));
          Bench.log("graceful %d/%d: SIGTERM -> latch gone %.1f ms; latch gone -> new epoch %.1f ms, -> probe "
              + "assigned %.1f ms", round + 1, graceful, Bench.ms(latchGone - t0), Bench.ms(epoch - latchGone),
              Bench.ms(assigned - latchGone));
        }
        old.process().waitFor();
        servers[l] = server(dir, zk, l).start().awaitUp(Duration.ofSeconds(180));
        Bench.await("three latch participants", Duration.ofSeconds(60), 20,
            () -> AgentLossBench.children(events, ROOT + "/leader").size() == 3);
        int newLeader = leader(servers);
        Bench.await("a leader that has claimed its epoch", Duration.ofSeconds(60), 20, () -> leader(servers) >= 0);
        if (newLeader == l) {
          throw new IllegalStateException("the restarted server leads: latch order broken");
        }
        // The restarted server boots, fills its cache and warms its decision path; -DsettleMs=5000 lets it finish
        // before the next round (measured: the same hand-over figures as with the default).
        Thread.sleep(settleMs);
      }
    } finally {
      agent.destroyForcibly();
      for (ServerProcess s : servers) {
        s.stop();
      }
      zk.stop();
    }
    Table t = new Table(KillReplaceBench.concat("measure", Stats.header()));
    t.row("graceful: SIGTERM -> old leader's latch node gone", Stats.of(gShutdown).cells());
    t.row("graceful: latch gone -> new epoch written", Stats.of(gEpoch).cells());
    t.row("graceful: latch gone -> new leader reconciled (probe assigned)", Stats.of(gHandover).cells());
    t.row("graceful: SIGTERM -> new leader reconciled", Stats.of(gTotal).cells());
    t.row("crash: SIGKILL -> old leader's session expired (latch gone)", Stats.of(cExpiry).cells());
    t.row("crash: SIGKILL -> new epoch written", Stats.of(cEpoch).cells());
    t.row("crash: SIGKILL -> new leader reconciled (probe assigned)", Stats.of(cTotal).cells());
    System.out.println();
    System.out.print(t.render());
    Stats g = Stats.of(gHandover);
    Stats c = Stats.of(cTotal);
    System.out.printf(Locale.ROOT, "ZooKeeper tick %d ms; servers' session timeout 6000 ms asked, %d ms negotiated%n",
        tickMs, negotiated);
    System.out.printf(Locale.ROOT, "goal: graceful hand-over p99 <= 50 ms (%s); crash max <= %d ms (%s)%n",
        g.p99() <= 50 ? "met" : "MISSED", negotiated + 300, c.max() <= negotiated + 300 ? "met" : "MISSED");
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    Children.stopAll();
  }

  private static ServerProcess server(Path dir, ZooKeeperProcess zk, int i) {
    return ServerProcess.builder("server-" + i, "cluster.yml", dir)
        .set("zookeeper.connect", zk.connect())
        .set("controller.serverId", "server-" + i)
        .build();
  }

  private static void put(ServerProcess s, String name, int replicas) {
    var r = Bench.put(s.api() + "/replicasets/" + name,
        "{\"replicas\": " + replicas + ", \"command\": [\"sleep\", \"100000\"]}");
    if (!Bench.ok(r)) {
      throw new IllegalStateException("cannot create " + name + ": " + (r == null ? "no answer" : r.body()));
    }
  }

  /** The index of the server that says it leads, or -1. */
  private static int leader(ServerProcess[] servers) {
    for (int i = 0; i < servers.length; i++) {
      if (servers[i].process().isAlive() && servers[i].leads()) {
        return i;
      }
    }
    return -1;
  }

  private static int live(ServerProcess s) {
    var r = Bench.get(s.api() + "/replicasets");
    if (!Bench.ok(r)) {
      return -1;
    }
    try {
      int sum = 0;
      for (var n : RecordCodec.mapper().readTree(r.body())) {
        sum += n.get("live").asInt();
      }
      return sum;
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static String latchOf(ZkEvents events, String serverId) throws Exception {
    for (String child : events.zk().getChildren(ROOT + "/leader", false)) {
      String path = ROOT + "/leader/" + child;
      byte[] data = events.zk().getData(path, false, null);
      if (serverId.equals(new String(data, java.nio.charset.StandardCharsets.UTF_8))) {
        return path;
      }
    }
    throw new IllegalStateException("no latch node of " + serverId);
  }
}
