package io.shepherd.bench;

import io.shepherd.server.controller.Controller;
import io.shepherd.server.controller.ControllerSettings;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import io.shepherd.worker.zk.ZkSettings;
import java.time.Clock;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;

/**
 * A controller in the benchmark's own JVM, built as the server builds it, on the benchmark's ZooKeeper: so that its
 * CPU and heap are the benchmark's to measure. Returned once it leads.
 */
record BenchController(CuratorFramework client, ZkLayout layout, Controller controller) implements AutoCloseable {
  static BenchController start(String connect) throws Exception {
    CuratorFramework client = ZkClients.newClient(
        new ZkSettings(connect, ZkLayout.DEFAULT_ROOT, Duration.ofSeconds(6), Duration.ofSeconds(3)));
    client.start();
    ZkLayout layout = ZkLayout.defaultLayout();
    Controller controller = new Controller(client, layout,
        new ControllerSettings("bench-controller", Duration.ofSeconds(10), Duration.ofSeconds(30)), Clock.systemUTC());
    controller.start();
    Bench.await("the controller to lead", Duration.ofSeconds(60), 20, controller::isLeader);
    return new BenchController(client, layout, controller);
  }

  @Override
  public void close() throws Exception {
    controller.close();
    client.close();
  }
}
