package io.shepherd.bench;

import io.shepherd.api.PortSpec;
import io.shepherd.api.Probe;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.api.Rollout;
import io.shepherd.api.RolloutPolicy;
import io.shepherd.api.RolloutState;
import io.shepherd.server.api.ReplicaSetStore;
import io.shepherd.server.controller.Controller;
import io.shepherd.server.state.Versioned;
import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.zk.ZkLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.curator.framework.CuratorFramework;

/**
 * Benchmark 9: a rollout of {@code copies} real HTTP servers ({@code python3 -m http.server}) with an http readiness
 * probe every {@code probeMs}, {@code maxSurge} 25 % and {@code maxUnavailable} 0, from one template to another.
 *
 * <p>This JVM is the controller, as in benchmark 4: a {@link Controller} as the server builds it and the REST write
 * path ({@link ReplicaSetStore}); ZooKeeper runs in its own JVM (tick 500 ms) and one agent in another (the worker
 * jar, real processes, ports 31000-31999). Each round changes the template (the served directory) and times the
 * rollout from the write to the rollout's COMPLETE as the controller's view sees it; meanwhile a 5 ms loop records
 * when each new copy's assignment was created and when the view first saw it ready.
 *
 * <p><b>The floor.</b> With surge {@code s = ceil(copies / 4)} and no unavailability, new copies go in waves of at most
 * {@code s}: a wave's copies must be ready before as many old ones stop and the next wave starts. The floor is
 * {@code ceil(copies / s)} waves of one copy's own assignment-to-ready time (the process start, the server's own
 * start, and the probe period), which the round measures (its median), with no time spent by the controller between
 * waves. Reported: total time, the floor, their ratio; and the controller JVM's CPU time over the rollout, with its
 * busiest threads.
 *
 * <p>System properties: {@code copies} (50), {@code probeMs} (200), {@code rounds} (3), {@code bench.dir}.
 */
public final class RolloutBench {
  private RolloutBench() {}

  public static void main(String[] args) throws Exception {
    int copies = Bench.intArg("copies", 50);
    int probeMs = Bench.intArg("probeMs", 200);
    int rounds = Bench.intArg("rounds", 3);
    Path dir = Bench.workDir("rollout");
    Bench.log("benchmark 9: a rollout of %d http.server copies, readiness every %d ms, maxSurge 25%%, "
        + "maxUnavailable 0, %d rounds; load %s; dir %s", copies, probeMs, rounds, Bench.loadAverage(), dir);
    ZooKeeperProcess zk = ZooKeeperProcess.start(dir, 500);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    BenchController local = BenchController.start(zk.connect());
    CuratorFramework client = local.client();
    ZkLayout layout = local.layout();
    Controller controller = local.controller();
    ReplicaSetStore store = new ReplicaSetStore(client, layout, controller.view());

    Path yml = dir.resolve("agent.yml");
    Files.writeString(yml, String.join("\n",
        "zookeeper:", "  connect: " + zk.connect(), "  sessionTimeoutMs: 6000",
        "agent:", "  nodeId: web-host", "  host: 127.0.0.1", "  capacity: " + (copies * 2),
        "  dataDir: " + dir.resolve("agent"), "  ports: {from: 31000, to: 31999}", "  logs:", "    enabled: false",
        ""));
    Process agent = Children.start(List.of(Children.javaBin(), "-jar", Bench.workerJar().toString(), "agent",
        yml.toString()), dir.resolve("agent.log"));
    Bench.await("the agent", Duration.ofSeconds(60), 20, () -> controller.view().nodes().size() == 1);

    List<Path> served = List.of(Files.createDirectories(dir.resolve("a")), Files.createDirectories(dir.resolve("b")));
    store.apply("web", spec(copies, probeMs, served.get(0)), OptionalInt.empty(), "bench");
    Bench.await(copies + " ready copies", Duration.ofSeconds(300), 20,
        () -> complete(controller, 1) && ready(controller) == copies);
    Bench.log("%d copies ready", copies);

    int surge = RolloutPolicy.DEFAULT.withBounds("25%", "0").surge(copies);
    int waves = (copies + surge - 1) / surge;
    Table table = new Table(List.of("round", "total ms", "copy assigned -> ready p50 ms", "floor ms",
        "total / floor", "controller CPU ms", "CPU % of a core", "busiest threads"));
    for (int round = 1; round <= rounds; round++) {
      int revision = round + 1;
      Path to = served.get(round % 2);
      Thread.sleep(2_000); // the previous round's old copies finish stopping
      long self = ProcessHandle.current().pid();
      var threads0 = ThreadCpu.snapshot(self);
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      store.apply("web", spec(copies, probeMs, to), OptionalInt.empty(), "bench");
      Map<String, Long> createdAt = new HashMap<>();
      Map<String, Long> readyAt = new HashMap<>();
      long deadline = t0 + Duration.ofSeconds(300).toNanos();
      while (!complete(controller, revision)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the rollout did not complete in 300 s: "
              + controller.view().rollout("web").map(v -> v.value().progressLine()).orElse("none"));
        }
        observe(controller, revision, createdAt, readyAt);
        Thread.sleep(5);
      }
      long t1 = System.nanoTime();
      long cpu = os.getProcessCpuTime() - cpu0;
      String busiest = ThreadCpu.top(threads0, ThreadCpu.snapshot(self), 3);
      List<Double> copyReady = new ArrayList<>();
      readyAt.forEach((id, at) -> {
        Long created = createdAt.get(id);
        if (created != null) {
          copyReady.add(Bench.ms(at - created));
        }
      });
      double p50 = Stats.of(copyReady).p50();
      double total = Bench.ms(t1 - t0);
      double floor = waves * p50;
      table.row(List.of(Integer.toString(round), Stats.ms(total), Stats.ms(p50) + " (n " + copyReady.size() + ")",
          Stats.ms(floor) + " (" + waves + " waves of " + surge + ")",
          String.format(Locale.ROOT, "%.2f", total / floor), Stats.ms(cpu / 1e6),
          String.format(Locale.ROOT, "%.1f", 100.0 * cpu / (t1 - t0)), busiest));
      Bench.log("round %d: %.0f ms (floor %.0f ms), controller CPU %.0f ms", round, total, floor, cpu / 1e6);
    }
    store.delete("web", OptionalInt.empty(), "bench");
    Bench.await("the set removed", Duration.ofSeconds(120), 50, () -> controller.view().spec("web").isEmpty());
    local.close();
    Children.stop(agent, 10_000);
    zk.stop();
    System.out.println();
    System.out.print(table.render());
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    Children.stopAll();
  }

  private static ReplicaSetSpec spec(int copies, int probeMs, Path served) {
    return ReplicaSetSpec.of(copies, List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1",
            "--directory", served.toString()))
        .withPorts(List.of(new PortSpec("http")))
        .withStopGraceMs(2_000)
        .withProbes(null, null, Probe.http("http", "/").withTimings(0, probeMs, 1_000, 1, 1))
        .withRollout(RolloutPolicy.DEFAULT.withBounds("25%", "0"));
  }

  private static boolean complete(Controller controller, int revision) {
    Optional<Rollout> r = controller.view().rollout("web").map(Versioned::value);
    return r.isPresent() && r.get().toRevision() == revision && r.get().state() == RolloutState.COMPLETE;
  }

  private static long ready(Controller controller) {
    return controller.view().instances("web").stream().filter(InstanceRecord::ready).count();
  }

  /** Notes when each new copy's assignment appeared and when its instance was first seen ready. */
  private static void observe(Controller controller, int revision, Map<String, Long> createdAt,
      Map<String, Long> readyAt) {
    long now = System.nanoTime();
    for (AssignmentRecord a : controller.view().assignments("web")) {
      if (a.revision() == revision) {
        createdAt.putIfAbsent(a.instanceId(), now);
      }
    }
    for (InstanceRecord i : controller.view().instances("web")) {
      if (i.revision() == revision && i.ready()) {
        readyAt.putIfAbsent(i.id(), now);
      }
    }
  }
}
