package io.shepherd.worker.agent;

import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where the agent's log server listens.
 *
 * @param bindHost the address to bind; loopback by default, so that logs are not exposed by accident
 * @param port     the TCP port; 0 for an ephemeral port (the chosen one goes into the node's {@code logsUrl})
 * @param tls      HTTPS instead of HTTP, and whether a client must present a certificate the context trusts
 */
public record LogServerConfig(String bindHost, int port, Optional<Tls> tls) {
  /**
   * The log server over HTTPS.
   *
   * @param context                  the agent's key and certificate, and the CA its clients' certificates must
   *                                 chain to
   * @param requireClientCertificate refuse clients without such a certificate (the servers present theirs)
   */
  public record Tls(SSLContext context, boolean requireClientCertificate) {
    public Tls {
      Objects.requireNonNull(context, "context");
    }
  }

  public static final String DEFAULT_BIND_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7071;

  /** Plain HTTP. */
  public LogServerConfig(String bindHost, int port) {
    this(bindHost, port, Optional.empty());
  }

  public LogServerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(tls, "tls");
    if (bindHost.isBlank()) {
      throw new IllegalArgumentException("bindHost is empty");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535: " + port);
    }
  }

  /** Loopback, on an ephemeral port. */
  public static LogServerConfig loopbackEphemeral() {
    return new LogServerConfig(DEFAULT_BIND_HOST, 0);
  }
}
