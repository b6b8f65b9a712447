package io.shepherd.worker.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-copy tokens of the local API: 256 random bits per instance, issued when its copy is first launched, the
 * same for its restarts in place, forgotten when the copy ends for good. Kept only in this agent's memory: an agent
 * that restarts stops the copies of its previous run, so their tokens die with them.
 *
 * <p>Tokens are looked up by their SHA-256, so that finding one takes no time that depends on how much of a guess
 * was right. Thread-safe.
 */
final class CopyTokens {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private final SecureRandom random;
  private final Map<String, String> tokenOf = new HashMap<>();
  private final Map<String, String> instanceOfDigest = new HashMap<>();

  CopyTokens(SecureRandom random) {
    this.random = random;
  }

  CopyTokens() {
    this(new SecureRandom());
  }

  /** The token of {@code instanceId}: the one it has, or a new one. */
  synchronized String issue(String instanceId) {
    String token = tokenOf.get(instanceId);
    if (token == null) {
      byte[] bits = new byte[32];
      random.nextBytes(bits);
      token = ENCODER.encodeToString(bits);
      tokenOf.put(instanceId, token);
      instanceOfDigest.put(digest(token), instanceId);
    }
    return token;
  }

  /** The instance a token was issued to; empty for an unknown or forgotten token, or none. */
  synchronized Optional<String> instanceOf(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(instanceOfDigest.get(digest(token)));
  }

  /** Forgets the token of an instance that ended for good. */
  synchronized void forget(String instanceId) {
    String token = tokenOf.remove(instanceId);
    if (token != null) {
      instanceOfDigest.remove(digest(token));
    }
  }

  /** Forgets every token but those of {@code live}. */
  synchronized void retain(Set<String> live) {
    Set.copyOf(tokenOf.keySet()).stream().filter(id -> !live.contains(id)).forEach(this::forget);
  }

  synchronized int size() {
    return tokenOf.size();
  }

  private static String digest(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
