package io.shepherd.server.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for one Shepherd cluster: a self-signed CA certificate and the certificates it
 * signs for the servers and agents, each valid for the host names and addresses given, for both ends of a TLS
 * connection (a server's certificate is also its credential when it calls an agent). Keys are EC P-256, signed with
 * SHA-256 by the JDK's providers.
 */
public final class CertificateAuthority {
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final Duration validity;

  private CertificateAuthority(KeyPair keys, X509Certificate certificate, Duration validity) {
    this.keys = keys;
    this.certificate = certificate;
    this.validity = validity;
  }

  /** A key and certificate signed by this CA: the key, then the chain (its certificate, the CA's). */
  public record Issued(KeyPair keys, List<X509Certificate> chain) {}

  /** A new CA named {@code CN=name}, and its certificates, valid for {@code validity} from now. */
  public static CertificateAuthority create(String name, Duration validity) throws GeneralSecurityException {
    KeyPair keys = newKeys();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(keys, sign(b, keys), validity);
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot build the CA certificate", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public KeyPair keys() {
    return keys;
  }

  /**
   * A certificate for {@code CN=name} valid for {@code hosts} (IP literals become IP addresses, anything else DNS
   * names), for TLS servers and clients alike.
   *
   * @throws IllegalArgumentException if {@code hosts} is empty
   */
  public Issued issue(String name, List<String> hosts) throws GeneralSecurityException {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a certificate needs at least one host name or address");
    }
    KeyPair leaf = newKeys();
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), new X500Name("CN=" + name),
          leaf.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, names(hosts))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(leaf.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      return new Issued(leaf, List.of(sign(b, keys), certificate));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot build the certificate of " + name, e);
    }
  }

  private static GeneralNames names(List<String> hosts) {
    GeneralName[] names = new GeneralName[hosts.size()];
    for (int i = 0; i < hosts.size(); i++) {
      String h = hosts.get(i);
      names[i] = isAddress(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h);
    }
    return new GeneralNames(names);
  }

  /** An IPv4 or IPv6 literal (never resolved). */
  static boolean isAddress(String host) {
    if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":")) {
      try {
        InetAddress.getByName(host);
        return true;
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign", e);
    }
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
