package io.shepherd.server.health;

import com.codahale.metrics.health.HealthCheck;
import org.apache.curator.framework.CuratorFramework;

/** Healthy while this server's ZooKeeper session is connected. */
public final class ZooKeeperHealthCheck extends HealthCheck {
  private final CuratorFramework client;

  public ZooKeeperHealthCheck(CuratorFramework client) {
    this.client = client;
  }

  @Override
  protected Result check() {
    return client.getZookeeperClient().isConnected()
        ? Result.healthy("connected to %s", client.getZookeeperClient().getCurrentConnectionString())
        : Result.unhealthy("not connected to ZooKeeper");
  }
}
