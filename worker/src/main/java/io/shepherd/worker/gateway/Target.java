package io.shepherd.worker.gateway;

/**
 * A ready copy a gateway may forward a connection to.
 *
 * @param instanceId the copy
 * @param host       its node's host
 * @param port       its exposed port's number
 */
public record Target(String instanceId, String host, int port) {
  @Override
  public String toString() {
    return instanceId + "@" + host + ":" + port;
  }
}
