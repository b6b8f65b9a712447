package io.shepherd.bench;

import io.shepherd.worker.agent.LaunchMechanism;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;

/**
 * The machine's floor under benchmark 1: how long one ZooKeeper round trip and one process start take here, alone.
 * A replacement after a kill is a chain of them (the agent's exit transaction, the controller's read of the exited
 * assignment and its fenced transaction, the agent's read of the new assignment, the start of the process and the
 * registration transaction), so their sum bounds what any code on this machine can reach.
 *
 * <p>ZooKeeper runs standalone in its own JVM (as in benchmarks 3 and 4) with its transaction log on the work
 * directory's disk; one Curator client times each operation {@code n} times, pausing {@code pauseMs} between
 * operations as the kill benchmark does between kills (an idle machine wakes its threads more slowly than a busy
 * one). Process starts use the launch mechanism the server and the agent choose ({@code VFORK} on Linux with JDK 17,
 * unless {@code -Djdk.lang.Process.launchMechanism} says otherwise; printed).
 *
 * <p>System properties: {@code n} (200), {@code pauseMs} (50), {@code bench.dir}.
 */
public final class RoundTripBench {
  private RoundTripBench() {}

  public static void main(String[] args) throws Exception {
    LaunchMechanism.preferVfork(); // as the server and the agent do
    int n = Bench.intArg("n", 200);
    int pauseMs = Bench.intArg("pauseMs", 50);
    Path dir = Bench.workDir("round-trip");
    Bench.log("round trips: %d of each, %d ms apart; load %s; dir %s", n, pauseMs, Bench.loadAverage(), dir);
    ZooKeeperProcess zk = ZooKeeperProcess.start(dir, 2000);
    Table t = new Table(KillReplaceBench.concat("operation", Stats.header()));
    List<Double> p50s = new ArrayList<>();
    try (CuratorFramework client = CuratorFrameworkFactory.newClient(zk.connect(), new RetryOneTime(100))) {
      client.start();
      client.blockUntilConnected();
      client.create().forPath("/x", new byte[200]);
      int[] seq = {0};
      List<Op> ops = List.of(
          new Op("getData (a cache's read after an event)", () -> {
            client.getData().forPath("/x");
            return () -> { };
          }),
          new Op("setData", () -> {
            client.setData().forPath("/x", new byte[200]);
            return () -> { };
          }),
          new Op("multi: check, create, setData (a registration)", () -> {
            client.transaction().forOperations(
                client.transactionOp().check().forPath("/x"),
                client.transactionOp().create().forPath("/r" + seq[0]++, new byte[200]),
                client.transactionOp().setData().forPath("/x", new byte[200]));
            return () -> { };
          }),
          new Op("process start (ProcessBuilder, sleep)", () -> {
            Process p = new ProcessBuilder("sleep", "60").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return () -> {
              p.destroyForcibly();
              p.onExit().join();
            };
          }));
      for (Op op : ops) {
        for (int i = 0; i < 20; i++) {
          op.timed().run().run();
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Thread.sleep(pauseMs);
          long t0 = System.nanoTime();
          Runnable cleanUp = op.timed().run();
          ms.add(Bench.ms(System.nanoTime() - t0));
          cleanUp.run();
        }
        Stats s = Stats.of(ms);
        p50s.add(s.p50());
        t.row(op.name(), s.cells());
        Bench.log("%s: p50 %s ms", op.name(), Stats.ms(s.p50()));
      }
    } finally {
      zk.stop();
    }
    System.out.println();
    System.out.print(t.render());
    // The kill path: 3 transactions, 2 cache reads, 1 process start (watch notifications not counted).
    double floor = 3 * p50s.get(2) + 2 * p50s.get(0) + p50s.get(3);
    System.out.printf("launch mechanism: %s; the kill path's floor from these p50s "
        + "(3 transactions + 2 reads + 1 start): %s ms%n",
        System.getProperty("jdk.lang.Process.launchMechanism", "JDK default"), Stats.ms(floor));
    System.out.println("load average (1/5/15 min) at the end: " + Bench.loadAverage());
  }

  /** One operation, timed; what it returns is run after the clock stops (to stop a started process). */
  private interface Timed {
    Runnable run() throws Exception;
  }

  private record Op(String name, Timed timed) {}
}
