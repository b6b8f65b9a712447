package io.shepherd.server.e2e;

import io.shepherd.server.testing.ServerExtension;
import io.shepherd.server.testing.Srvr;
import io.shepherd.server.testing.ZooKeeper38Server;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ZooKeeperVersionScenario} on a real ZooKeeper 3.8 server (Debian's), which, unlike 3.9, puts no zxid on
 * watch notifications. Without Debian's package {@code zookeeper} it fails, naming the package.
 */
class ZooKeeper38IT extends ZooKeeperVersionScenario {
  @RegisterExtension
  @Order(1)
  static final ZooKeeper38Server ZK = new ZooKeeper38Server();

  @RegisterExtension
  @Order(2)
  static final ServerExtension SERVER = serverWithLocalAgent(ZK::connectString, "shepherd-zk38-agent");

  @Override
  ServerExtension server() {
    return SERVER;
  }

  @Override
  Srvr srvr() {
    return ZK.srvr();
  }

  @Override
  String expectedVersion() {
    return "3.8.";
  }
}
