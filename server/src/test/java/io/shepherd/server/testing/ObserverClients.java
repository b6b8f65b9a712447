package io.shepherd.server.testing;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** The ZooKeeper client of a test's observers (Invariants, ZkHistory): patient, so it outlives the faults it watches. */
final class ObserverClients {
  private ObserverClients() {}

  /** A started, connected client with a 30 s session that retries for a long time. */
  static CuratorFramework patient(String connectString) throws InterruptedException {
    CuratorFramework client = TestZkAuth.serverBuilder(connectString).sessionTimeoutMs(30_000)
        .connectionTimeoutMs(5_000).retryPolicy(new ExponentialBackoffRetry(50, 20, 1_000)).build();
    client.start();
    client.blockUntilConnected();
    return client;
  }
}
