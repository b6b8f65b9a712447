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

  /**
   * Started before {@link #SERVER}: a server started while another runs inherits that one's config overrides
   * (Dropwizard's test support passes them as system properties), and this one must not get its agent.
   */
  @RegisterExtension
  @Order(2)
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  @RegisterExtension
  @Order(3)
  static final ServerExtension SERVER = serverWithLocalAgent(ZK::connectString, "shepherd-zk38-agent");

  @Override
  ServerExtension server() {
    return SERVER;
  }

  @Override
  ServerExtension second() {
    return SECOND;
  }

  @Override
  Srvr srvr() {
    return ZK.srvr();
  }

  @Override
  String expectedVersion() {
    return "3.8.";
  }

  @Override
  boolean sameIdsOnEveryServer() {
    return false;
  }
}
