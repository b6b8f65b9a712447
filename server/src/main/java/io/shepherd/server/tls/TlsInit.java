package io.shepherd.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The files of {@code tls-init}: {@code ca.pem}, {@code truststore.p12}, {@code ca.p12}, {@code server.p12},
 * {@code agent.p12} and {@code keystore.password}, the password of every {@code .p12} file. Key files and the
 * password are created readable by their owner only; an existing file is never overwritten.
 */
public final class TlsInit {
  public static final String CA_PEM = "ca.pem";
  public static final String TRUSTSTORE = "truststore.p12";
  public static final String CA_KEYSTORE = "ca.p12";
  public static final String SERVER_KEYSTORE = "server.p12";
  public static final String AGENT_KEYSTORE = "agent.p12";
  public static final String PASSWORD = "keystore.password";

  private TlsInit() {}

  /** What was written, and where. */
  public record Written(Path dir, String password) {
    @Override
    public String toString() {
      return "TLS files in " + dir;
    }
  }

  public static Written write(Path dir, List<String> serverHosts, List<String> agentHosts, Duration validity)
      throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    for (String f : List.of(CA_PEM, TRUSTSTORE, CA_KEYSTORE, SERVER_KEYSTORE, AGENT_KEYSTORE, PASSWORD)) {
      if (Files.exists(dir.resolve(f))) {
        throw new java.nio.file.FileAlreadyExistsException(dir.resolve(f).toString());
      }
    }
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    char[] pw = password.toCharArray();

    CertificateAuthority ca = CertificateAuthority.create("Shepherd CA", validity);
    CertificateAuthority.Issued server = ca.issue("shepherd-server", serverHosts);
    CertificateAuthority.Issued agent = ca.issue("shepherd-agent", agentHosts);
    TlsFiles.writeSecret(dir.resolve(PASSWORD), password);
    TlsFiles.writeKeyStore(dir.resolve(CA_KEYSTORE), "ca", ca.keys().getPrivate(), List.of(ca.certificate()), pw);
    TlsFiles.writeKeyStore(dir.resolve(SERVER_KEYSTORE), "server", server.keys().getPrivate(), server.chain(), pw);
    TlsFiles.writeKeyStore(dir.resolve(AGENT_KEYSTORE), "agent", agent.keys().getPrivate(), agent.chain(), pw);
    TlsFiles.writeTrustStore(dir.resolve(TRUSTSTORE), ca.certificate(), pw);
    TlsFiles.writePem(dir.resolve(CA_PEM), ca.certificate());
    return new Written(dir, password);
  }
}
