package io.shepherd.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of a client that trusts one certificate authority: the one that signed the Shepherd servers'
 * certificates ({@code shepherd-server.jar tls-init} makes one, {@code ca.pem}). Only that CA is trusted, not the
 * JDK's default ones; host names are checked against the certificates as usual.
 */
public final class TrustedCa {
  private TrustedCa() {}

  /**
   * An SSL context trusting the certificates in {@code caFile} (PEM or DER, one or more).
   *
   * @throws IllegalArgumentException if the file is missing, unreadable or holds no certificate
   */
  public static SSLContext sslContext(Path caFile) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(caFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(caFile + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(caFile + ": cannot be read: " + e.getMessage());
    } catch (CertificateException e) {
      throw new IllegalArgumentException(caFile + ": not a PEM or DER certificate: " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(caFile + ": holds no certificate");
    }
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        trusted.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }
}
