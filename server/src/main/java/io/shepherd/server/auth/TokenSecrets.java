package io.shepherd.server.auth;

import io.shepherd.api.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The shape of API token secrets: {@code shp_<id>_<key>}, where the id is 16 base-32 characters (80 random bits,
 * not secret: it names the token, so a server finds its record without scanning) and the key 43 base64url characters
 * (256 random bits). The server stores only the SHA-256 of the whole secret and compares hashes in constant time.
 */
public final class TokenSecrets {
  public static final String PREFIX = "shp_";
  private static final Pattern ID = Pattern.compile("[a-z2-7]{16}");
  private static final Pattern SECRET = Pattern.compile("shp_([a-z2-7]{16})_[A-Za-z0-9_-]{43}");
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private TokenSecrets() {}

  /** A new token and its secret (the caller shows the secret once and stores only the record). */
  public record Issued(TokenRecord record, String secret) {}

  /** Issues a token; {@code random} must be a {@link java.security.SecureRandom} outside tests. */
  public static Issued issue(Random random, String name, Role role, Instant now, Optional<String> createdBy) {
    char[] id = new char[16];
    for (int i = 0; i < id.length; i++) {
      id[i] = BASE32[random.nextInt(BASE32.length)];
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    String secret = PREFIX + new String(id) + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    return new Issued(new TokenRecord(new String(id), name, role, sha256Hex(secret), now, createdBy), secret);
  }

  /** The id a well-formed secret names; empty for anything else. */
  public static Optional<String> idOf(String secret) {
    if (secret == null) {
      return Optional.empty();
    }
    var m = SECRET.matcher(secret);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Whether {@code id} is a token id at all (before it becomes a ZooKeeper path). */
  public static boolean isId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Whether {@code secret} is the one {@code record} was issued with; constant time in the hash comparison. */
  public static boolean matches(TokenRecord record, String secret) {
    byte[] stored;
    try {
      stored = HexFormat.of().parseHex(record.sha256());
    } catch (IllegalArgumentException corrupt) {
      return false;
    }
    return MessageDigest.isEqual(sha256(secret), stored);
  }

  static String sha256Hex(String secret) {
    return HexFormat.of().formatHex(sha256(secret));
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
