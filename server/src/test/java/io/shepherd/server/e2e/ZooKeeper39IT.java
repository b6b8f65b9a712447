package io.shepherd.server.e2e;

import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.Srvr;
import io.shepherd.server.testing.ZooKeeperExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ZooKeeperVersionScenario} on the ZooKeeper 3.9 of the test classpath (Curator's TestingServer), the
 * version Shepherd is built with, for comparison with {@link ZooKeeper38IT}.
 */
class ZooKeeper39IT extends ZooKeeperVersionScenario {
  @RegisterExtension
  @Order(1)
  static final ZooKeeperExtension ZK = new ZooKeeperExtension();

  @RegisterExtension
  @Order(2)
  static final ServerExtension SERVER = serverWithLocalAgent(ZK::connectString, "shepherd-zk39-agent");

  @Override
  ServerExtension server() {
    return SERVER;
  }

  @Override
  Srvr srvr() {
    return Srvr.ask(ZK.server().getPort()).orElseThrow();
  }

  @Override
  String expectedVersion() {
    return "3.9.";
  }
}
