package io.shepherd.server.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** Writes certificates (PEM) and keystores (PKCS12); a file holding a key is created readable by its owner only. */
final class TlsFiles {
  private TlsFiles() {}

  static void writePem(Path file, X509Certificate certificate) throws IOException, GeneralSecurityException {
    String pem = "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
    Files.writeString(Files.createFile(file), pem, StandardCharsets.US_ASCII);
  }

  /** A PKCS12 keystore with one key entry ({@code alias}) and its chain. */
  static void writeKeyStore(Path file, String alias, java.security.PrivateKey key, List<X509Certificate> chain,
      char[] password) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(alias, key, password, chain.toArray(Certificate[]::new));
    try (OutputStream out = Files.newOutputStream(ownerOnly(file))) {
      ks.store(out, password);
    }
  }

  /** A PKCS12 truststore holding {@code ca} as a trusted certificate (nothing secret in it). */
  static void writeTrustStore(Path file, X509Certificate ca, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", ca);
    try (OutputStream out = Files.newOutputStream(Files.createFile(file))) {
      ks.store(out, password);
    }
  }

  static void writeSecret(Path file, String secret) throws IOException {
    Files.writeString(ownerOnly(file), secret + "\n", StandardCharsets.UTF_8);
  }

  /** Creates {@code file}, mode 0600; fails if it exists. */
  static Path ownerOnly(Path file) throws IOException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }
}
