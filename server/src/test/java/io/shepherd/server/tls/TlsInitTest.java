package io.shepherd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsInitTest {
  @TempDir
  Path dir;

  private static KeyStore load(Path file, String password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }

  @Test
  void theServerAndAgentCertificatesAreSignedByTheCaForTheirHostsAndBothEndsOfAConnection() throws Exception {
    TlsInit.Written w = TlsInit.write(dir, List.of("127.0.0.1", "shepherd.example.com"), List.of("10.0.0.5"),
        Duration.ofDays(2));

    X509Certificate ca;
    try (InputStream in = Files.newInputStream(dir.resolve(TlsInit.CA_PEM))) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    assertThat(ca.getBasicConstraints()).isZero();
    X509Certificate server = (X509Certificate) load(dir.resolve(TlsInit.SERVER_KEYSTORE), w.password())
        .getCertificate("server");
    X509Certificate agent = (X509Certificate) load(dir.resolve(TlsInit.AGENT_KEYSTORE), w.password())
        .getCertificate("agent");
    server.verify(ca.getPublicKey());
    agent.verify(ca.getPublicKey());
    assertThat(server.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
        .containsExactly("127.0.0.1", "shepherd.example.com");
    assertThat(agent.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
        .containsExactly("10.0.0.5");
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(load(dir.resolve(TlsInit.SERVER_KEYSTORE), w.password()).isKeyEntry("server")).isTrue();
    assertThat(load(dir.resolve(TlsInit.TRUSTSTORE), w.password()).getCertificate("ca")).isEqualTo(ca);
  }

  @Test
  void keysAndTheirPasswordAreReadableByTheirOwnerOnly() throws Exception {
    TlsInit.Written w = TlsInit.write(dir, List.of("127.0.0.1"), List.of("127.0.0.1"), Duration.ofDays(1));

    for (String f : List.of(TlsInit.PASSWORD, TlsInit.CA_KEYSTORE, TlsInit.SERVER_KEYSTORE, TlsInit.AGENT_KEYSTORE)) {
      assertThat(Files.getPosixFilePermissions(dir.resolve(f))).as(f)
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    assertThat(Files.readString(dir.resolve(TlsInit.PASSWORD)).strip()).isEqualTo(w.password());
    assertThat(w.toString()).doesNotContain(w.password());
  }

  @Test
  void anExistingFileIsNeverOverwritten() throws Exception {
    Files.writeString(dir.resolve(TlsInit.CA_PEM), "mine");

    assertThatThrownBy(() -> TlsInit.write(dir, List.of("127.0.0.1"), List.of("127.0.0.1"), Duration.ofDays(1)))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(dir.resolve(TlsInit.CA_PEM))).isEqualTo("mine");
    assertThat(dir.resolve(TlsInit.PASSWORD)).doesNotExist();
  }

  @Test
  void addressesBecomeIpNamesAndEverythingElseDnsNames() {
    assertThat(CertificateAuthority.isAddress("10.1.2.3")).isTrue();
    assertThat(CertificateAuthority.isAddress("::1")).isTrue();
    assertThat(CertificateAuthority.isAddress("host-a.example.com")).isFalse();
    assertThat(CertificateAuthority.isAddress("localhost")).isFalse();
  }
}
