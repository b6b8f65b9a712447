package io.shepherd.worker.agent;

import io.shepherd.worker.LatencySummary;
import io.shepherd.worker.record.OnPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;

/**
 * Measures (not a test) how long after a copy dies the controller can know: from SIGKILL to the NodeDeleted watch
 * event of its instance znode, seen by another session, as the leader's cache would see it.
 * {@code java -cp <test classpath> io.shepherd.worker.agent.ExitLatencyBench [rounds]}.
 */
public final class ExitLatencyBench {
  private ExitLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path tmp = Files.createTempDirectory("exit-latency");
    List<Double> millis = new ArrayList<>();
    try (AgentTestKit kit = new AgentTestKit(tmp)) {
      kit.createReplicaSet(AgentTestKit.RS);
      kit.start(kit.config("bench").noLogServer().build());
      for (int i = 0; i < rounds; i++) {
        String id = "c" + i;
        kit.assign("bench", id, List.of("sleep", "300"), 10_000, OnPartition.KEEP_RUNNING, 0);
        ProcessHandle p = kit.awaitRegistered("bench", id);
        CountDownLatch deleted = new CountDownLatch(1);
        long[] at = new long[1];
        kit.controller.checkExists().usingWatcher((Watcher) e -> {
          if (e.getType() == Watcher.Event.EventType.NodeDeleted) {
            at[0] = System.nanoTime();
            deleted.countDown();
          }
        }).forPath(kit.layout.instance(AgentTestKit.RS, id));
        long killed = System.nanoTime();
        p.destroyForcibly();
        if (!deleted.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("instance " + id + " not deleted");
        }
        millis.add((at[0] - killed) / 1e6);
        kit.unassign("bench", id);
      }
    }
    System.out.println(LatencySummary.line("SIGKILL -> instance NodeDeleted seen by another session", millis));
  }
}
