package io.shepherd.worker.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts between the parts of one cluster: each side presents the key and certificate of its PKCS12 keystore
 * ({@code server.p12}, {@code agent.p12} of {@code tls-init}) and trusts the cluster's CA ({@code ca.pem}) only.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * A context presenting the key in {@code keyStore} (if not null) and trusting only the certificates in
   * {@code caFile}.
   *
   * @throws IllegalArgumentException naming the file that is missing or unusable (never the password)
   */
  public static SSLContext cluster(Path keyStore, char[] password, Path caFile) {
    try {
      KeyManager[] keys = null;
      if (keyStore != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
          ks.load(in, password);
        } catch (NoSuchFileException e) {
          throw new IllegalArgumentException(keyStore + ": no such file");
        } catch (IOException e) {
          throw new IllegalArgumentException(keyStore + ": cannot be read (or the password is wrong): "
              + e.getMessage());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        keys = kmf.getKeyManagers();
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate c : certificates(caFile)) {
        trusted.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> certificates(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (all.isEmpty()) {
        throw new IllegalArgumentException(caFile + ": holds no certificate");
      }
      return all;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(caFile + ": no such file");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(caFile + ": not a PEM or DER certificate: " + e.getMessage());
    }
  }
}
