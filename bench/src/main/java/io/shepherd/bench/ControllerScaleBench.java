package io.shepherd.bench;

import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.server.api.ReplicaSetStore;
import io.shepherd.server.controller.Controller;
import io.shepherd.worker.zk.ZkLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher.Event.EventType;

/**
 * Benchmark 4: one controller with {@code sets} replica sets of 10 copies over {@code agents} REGISTER_ONLY agents.
 *
 * <p>This JVM is the controller: a {@link Controller} exactly as the server builds it (its own Curator session, one
 * CuratorCache over the tree), and nothing else but the benchmark, so its heap is the controller's. ZooKeeper runs
 * in its own JVM ({@link ZooKeeperProcess}, tick 500 ms); the agents in two more: {@code agents - 1} in one
 * ({@link AgentsMain}) and the big one, {@code big} copies, alone (the worker jar, {@code agent big.yml}), started
 * first so that the first {@code big / 10} sets all land on it.
 *
 * <p>Measured: heap used after a full GC (MemoryMXBean, after {@code System.gc()}), before any set and with all
 * copies running; process CPU time over {@code idleSeconds} of idleness (periodic resyncs included, every 10 s),
 * after {@code settleSeconds} for the JIT compilers to finish what the placement gave them;
 * a full resync ({@code resyncNow()} then {@code awaitIdle}), {@code resyncs} times; and the big agent SIGKILLed:
 * from its node znode's deletion (its session, {@code bigSessionMs}, expired) until all its copies are re-assigned
 * and until all are registered on the other agents.
 *
 * <p>System properties: {@code sets} (1000), {@code agents} (50), {@code big} (2000), {@code idleSeconds} (30),
 * {@code settleSeconds} (30, before the idle window),
 * {@code resyncs} (5), {@code bigSessionMs} (2000), {@code bench.dir}.
 */
public final class ControllerScaleBench {
  private static final String ROOT = "/shepherd";

  private ControllerScaleBench() {}

  public static void main(String[] args) throws Exception {
    int sets = Bench.intArg("sets", 1000);
    int agents = Bench.intArg("agents", 50);
    int big = Bench.intArg("big", 2000);
    int idleSeconds = Bench.intArg("idleSeconds", 30);
    int settleSeconds = Bench.intArg("settleSeconds", 30);
    int resyncs = Bench.intArg("resyncs", 5);
    int bigSessionMs = Bench.intArg("bigSessionMs", 2000);
    Path dir = Bench.workDir("controller-scale");
    Bench.log("benchmark 4: controller with %d sets x 10 copies over %d agents (one with %d); load %s; dir %s",
        sets, agents, big, Bench.loadAverage(), dir);
    ZooKeeperProcess zk = ZooKeeperProcess.start(dir, 500);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    BenchController local = BenchController.start(zk.connect());
    CuratorFramework client = local.client();
    ZkLayout layout = local.layout();
    Controller controller = local.controller();
    long heapEmpty = heapAfterGc(memory);
    ReplicaSetStore store = new ReplicaSetStore(client, layout, controller.view());

    Path yml = dir.resolve("big.yml");
    Files.writeString(yml, String.join("\n",
        "zookeeper:", "  connect: " + zk.connect(), "  sessionTimeoutMs: " + bigSessionMs,
        "agent:", "  nodeId: big", "  host: 127.0.0.1", "  capacity: " + big,
        "  dataDir: " + dir.resolve("big"), "  launcher: REGISTER_ONLY", "  logs:", "    enabled: false", ""));
    Process bigAgent = Children.start(List.of(Children.javaBin(), "-jar", Bench.workerJar().toString(), "agent",
        yml.toString()), dir.resolve("big.log"));
    Bench.await("the big agent", Duration.ofSeconds(60), 20, () -> controller.view().nodes().size() == 1);
    int onBig = big / 10;
    long t = System.nanoTime();
    for (int i = 0; i < onBig; i++) {
      store.apply("set-" + i, ReplicaSetSpec.of(10, List.of("sleep", "100000")), OptionalInt.empty(), "bench");
    }
    Bench.await(big + " copies on the big agent", Duration.ofSeconds(300), 100, () -> live(controller, onBig) == big);
    Bench.log("%d copies running on the big agent after %.1f s", big, Bench.ms(System.nanoTime() - t) / 1000);
    Process others = Children.benchJvm(AgentsMain.class.getName(), List.of(), List.of("connect=" + zk.connect(),
        "prefix=agent", "count=" + (agents - 1), "capacity=1000", "sessionMs=6000", "dir=" + dir.resolve("agents")),
        dir.resolve("agents.log"));
    Bench.await(agents + " agents", Duration.ofSeconds(120), 50, () -> controller.view().nodes().size() == agents);
    t = System.nanoTime();
    for (int i = onBig; i < sets; i++) {
      store.apply("set-" + i, ReplicaSetSpec.of(10, List.of("sleep", "100000")), OptionalInt.empty(), "bench");
    }
    Bench.await(sets * 10 + " copies", Duration.ofSeconds(600), 200, () -> live(controller, sets) == sets * 10);
    Bench.log("all %d copies running, the last %d after %.1f s", sets * 10, (sets - onBig) * 10,
        Bench.ms(System.nanoTime() - t) / 1000);
    controller.queue().awaitIdle(Duration.ofSeconds(60));
    Thread.sleep(2_000);

    long heapFull = heapAfterGc(memory);
    Bench.log("heap after GC: %.1f MiB with nothing, %.1f MiB with %d copies", heapEmpty / 1048576.0,
        heapFull / 1048576.0, sets * 10);

    // Idle means steady state: placing 10,000 copies in ~20 s leaves the JIT compilers a backlog that would
    // otherwise be counted as the controller's idle cost.
    Bench.log("settling for %d s before the idle measurement", settleSeconds);
    Thread.sleep(settleSeconds * 1000L);
    long self = ProcessHandle.current().pid();
    var threads0 = ThreadCpu.snapshot(self);
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    Thread.sleep(idleSeconds * 1000L);
    double idleCpu = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - wall0);
    Bench.log("idle for %d s: %.2f%% of one core (%s)", idleSeconds, idleCpu,
        ThreadCpu.top(threads0, ThreadCpu.snapshot(self), 6));

    List<Double> resync = new ArrayList<>();
    for (int i = 0; i < resyncs; i++) {
      controller.queue().awaitIdle(Duration.ofSeconds(60));
      long r0 = System.nanoTime();
      controller.queue().resyncNow();
      if (!controller.queue().awaitIdle(Duration.ofSeconds(60))) {
        throw new IllegalStateException("the resync did not drain within 60 s");
      }
      resync.add(Bench.ms(System.nanoTime() - r0));
      Thread.sleep(500);
    }
    Bench.log("full resync of %d sets: %s ms", sets, resync);

    double[] loss;
    try (ZkEvents events = new ZkEvents(zk.connect(), 6000)) {
      Set<String> before = new HashSet<>();
      for (int i = 0; i < sets; i++) {
        controller.view().instances("set-" + i).forEach(r -> before.add(r.id()));
      }
      events.watch(ROOT + "/replicasets");
      events.watch(ROOT + "/nodes");
      events.watch(ROOT + "/assignments");
      long k0 = System.nanoTime();
      bigAgent.destroyForcibly();
      long gone = -1;
      long assigned = -1;
      long registered = -1;
      Set<String> newAssignments = new HashSet<>();
      Set<String> newInstances = new HashSet<>();
      long deadline = k0 + Duration.ofSeconds(120).toNanos();
      while (registered < 0) {
        ZkEvents.Stamped e = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (e == null) {
          throw new IllegalStateException("only " + newInstances.size() + " of " + big + " re-registered in 120 s");
        }
        if (e.type() == EventType.NodeDeleted && e.path().equals(ROOT + "/nodes/big")) {
          gone = e.nanos();
        } else if (e.type() == EventType.NodeCreated && e.path().startsWith(ROOT + "/assignments/agent-")
            && e.path().lastIndexOf('/') > (ROOT + "/assignments/").length()) {
          if (newAssignments.add(e.path()) && newAssignments.size() == big) {
            assigned = e.nanos();
          }
        } else if (e.type() == EventType.NodeCreated && e.path().contains("/instances/")) {
          String id = e.path().substring(e.path().lastIndexOf('/') + 1);
          if (!before.contains(id) && newInstances.add(id) && newInstances.size() == big) {
            registered = e.nanos();
          }
        }
      }
      loss = new double[] {Bench.ms(gone - k0), Bench.ms(assigned - gone), Bench.ms(registered - gone)};
    }
    Bench.log("big agent SIGKILLed: session expired after %.0f ms; %d copies re-assigned %.0f ms and registered "
        + "%.0f ms after its node vanished", loss[0], big, loss[1], loss[2]);
    local.close();
    Children.stop(others, 5_000);
    zk.stop();

    Stats rs = Stats.of(resync);
    Table table = new Table(List.of("measure", "value", "goal", "met"));
    table.row(List.of("heap after GC, controller JVM with no replica set", mib(heapEmpty), "", ""));
    table.row(List.of("heap after GC, " + sets + " sets x 10 copies, " + agents + " agents", mib(heapFull),
        "<= 64 MiB", heapFull <= 64L << 20 ? "yes" : "NO"));
    table.row(List.of("idle CPU over " + idleSeconds + " s (resync every 10 s)",
        String.format(Locale.ROOT, "%.2f%% of a core", idleCpu), "<= 2%", idleCpu <= 2 ? "yes" : "NO"));
    table.row(List.of("full resync (" + resyncs + " runs): min / p50 / max",
        Stats.ms(rs.min()) + " / " + Stats.ms(rs.p50()) + " / " + Stats.ms(rs.max()) + " ms", "<= 1000 ms",
        rs.max() <= 1000 ? "yes" : "NO"));
    table.row(List.of("agent with " + big + " copies lost: SIGKILL -> node gone (session " + bigSessionMs + " ms)",
        Stats.ms(loss[0]) + " ms", "", ""));
    table.row(List.of("  node gone -> all " + big + " re-assigned", Stats.ms(loss[1]) + " ms", "<= 1000 ms",
        loss[1] <= 1000 ? "yes" : "NO"));
    table.row(List.of("  node gone -> all " + big + " registered elsewhere", Stats.ms(loss[2]) + " ms", "<= 1000 ms",
        loss[2] <= 1000 ? "yes" : "NO"));
    System.out.println();
    System.out.print(table.render());
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
    Children.stopAll();
  }

  private static int live(Controller controller, int sets) {
    int n = 0;
    for (int i = 0; i < sets; i++) {
      n += controller.view().instances("set-" + i).size();
    }
    return n;
  }

  private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
