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

  /**
   * Started before {@link #SERVER}: a server started while another runs inherits that one's config overrides
   * (Dropwizard's test support passes them as system properties), and this one must not get its agent.
   */
  @RegisterExtension
  @Order(2)
  static final ServerExtension SECOND = new ServerExtension(ZK::connectString);

  @RegisterExtension
  @Order(3)
  static final ServerExtension SERVER = serverWithLocalAgent(ZK::connectString, "shepherd-zk39-agent");

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
    return Srvr.ask(ZK.server().getPort()).orElseThrow();
  }

  @Override
  String expectedVersion() {
    return "3.9.";
  }

  @Override
  boolean sameIdsOnEveryServer() {
    return true;
  }
}
