package io.shepherd.server.embedded;

import io.dropwizard.lifecycle.Managed;
import org.apache.curator.framework.CuratorFramework;

/** Starts and closes a Curator client with the application. */
public final class ManagedCurator implements Managed {
  private final CuratorFramework client;

  public ManagedCurator(CuratorFramework client) {
    this.client = client;
  }

  @Override
  public void start() {
    client.start();
  }

  @Override
  public void stop() {
    client.close();
  }
}
