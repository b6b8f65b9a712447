package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shepherd.worker.tls.TlsContexts;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * TLS between the servers and the agents' HTTP ports ({@code logs.tls}, {@code agent.logsTls}): this side's
 * keystore (its key and certificate: the cluster credential it presents) and the cluster's CA, the only one
 * trusted. {@code ${VAR}} in the configuration keeps the password out of the file.
 */
public class ClusterTlsSettings {
  /** A PKCS12 keystore: {@code server.p12} or {@code agent.p12} of {@code tls-init}. */
  @NotEmpty
  @JsonProperty
  public String keyStorePath;

  @NotEmpty
  @JsonProperty
  public String keyStorePassword;

  /** The cluster's CA certificate (PEM): {@code ca.pem} of {@code tls-init}. */
  @NotEmpty
  @JsonProperty
  public String caFile;

  /** On an agent's port: refuse clients without a certificate signed by the CA (the servers present theirs). */
  @JsonProperty
  public boolean requireClientCertificate = true;

  /**
   * The context.
   *
   * @throws IllegalArgumentException naming the file that cannot be used
   */
  public SSLContext context() {
    return TlsContexts.cluster(Path.of(keyStorePath), keyStorePassword.toCharArray(), Path.of(caFile));
  }

  @Override
  public String toString() {
    return "TLS with " + keyStorePath + ", trusting " + caFile;
  }
}
