package io.shepherd.worker.gateway;

import io.shepherd.worker.LatencySummary;
import io.shepherd.worker.record.ExposedRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.RecordCodec;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;

/**
 * Measures (not a test) how long a copy's flipped {@code ready} flag takes to change its gateway's targets: from the
 * start of the write of the instance's record with {@code ready} false (what an agent writes when a readiness probe
 * fails, or before it stops a copy) to the gateway no longer listing the copy as a target, and the same for
 * {@code ready} true. The gateway watches an in-process ZooKeeper (Curator's {@code TestingServer}) with its own
 * session, as another agent's would; two copies are exposed, one of them flipped each round. The targets are read every
 * 20 µs (a park, so that the reading gives the cores back to ZooKeeper and the gateway's watch): the figure is the
 * watch's delay, to within a tenth of a millisecond.
 * {@code java -cp <test classpath> io.shepherd.worker.gateway.GatewayReadyBench [rounds]}.
 */
public final class GatewayReadyBench {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();

  private GatewayReadyBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    List<Double> unready = new ArrayList<>();
    List<Double> ready = new ArrayList<>();
    try (TestingServer zk = new TestingServer(true);
        ServerSocket a = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket b = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CuratorFramework writer = client(zk);
      CuratorFramework watcher = client(zk);
      int exposed;
      try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        exposed = free.getLocalPort();
      }
      Gateway gateway = new Gateway(watcher, LAYOUT, GatewayConfig.DEFAULT);
      gateway.start();
      try {
        write(writer, "web-1", a.getLocalPort(), true, true);
        write(writer, "web-2", b.getLocalPort(), true, true);
        writer.create().creatingParentsIfNeeded().forPath(LAYOUT.exposedPort(exposed),
            RecordCodec.write(new ExposedRecord("web", "http")));
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (gateway.targets(exposed).size() != 2) {
          if (System.nanoTime() > until) {
            throw new IllegalStateException("the gateway never listed both copies: " + gateway.targets(exposed));
          }
          LockSupport.parkNanos(20_000);
        }
        for (int i = 0; i < rounds; i++) {
          unready.add(flip(writer, gateway, exposed, b.getLocalPort(), false));
          ready.add(flip(writer, gateway, exposed, b.getLocalPort(), true));
        }
      } finally {
        gateway.close();
        watcher.close();
        writer.close();
      }
    }
    report("ready false -> no longer a target", unready);
    report("ready true -> a target again", ready);
  }

  /** Writes web-2's flag and returns the milliseconds until the gateway's targets show it. */
  private static double flip(CuratorFramework writer, Gateway gateway, int exposed, int port, boolean ready)
      throws Exception {
    long start = System.nanoTime();
    write(writer, "web-2", port, ready, false);
    long until = start + Duration.ofSeconds(30).toNanos();
    while (gateway.targets(exposed).stream().anyMatch(t -> t.instanceId().equals("web-2")) != ready) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("the gateway's targets did not follow ready=" + ready);
      }
      LockSupport.parkNanos(20_000);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static void write(CuratorFramework c, String id, int port, boolean ready, boolean create) throws Exception {
    byte[] data = RecordCodec.write(new InstanceRecord(id, "web", "n1", "127.0.0.1", 1, Instant.EPOCH, 1,
        Map.of("http", port), ready));
    if (create) {
      c.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(LAYOUT.instance("web", id), data);
    } else {
      c.setData().forPath(LAYOUT.instance("web", id), data);
    }
  }

  private static CuratorFramework client(TestingServer zk) throws InterruptedException {
    CuratorFramework c = ZkClients.newClient(new ZkSettings(zk.getConnectString(), ZkLayout.DEFAULT_ROOT,
        Duration.ofSeconds(6), Duration.ofSeconds(3)));
    c.start();
    c.blockUntilConnected();
    return c;
  }

  private static void report(String what, List<Double> millis) {
    System.out.println(LatencySummary.line(what, millis));
  }
}
