package io.shepherd.server.auth;

import io.shepherd.api.Role;
import io.shepherd.api.TokenInfo;
import java.time.Instant;
import java.util.Optional;

/**
 * The data of {@code /tokens/{id}}: an API token without its secret, which is never stored.
 *
 * @param id        its id, also part of the secret ({@link TokenSecrets})
 * @param name      who or what it is for
 * @param role      what it may do
 * @param sha256    the SHA-256 of the secret, lower-case hex
 * @param created   when it was created
 * @param createdBy the name of the token that created it; empty for a cluster's first token
 */
public record TokenRecord(String id, String name, Role role, String sha256, Instant created,
    Optional<String> createdBy) {
  public TokenRecord {
    createdBy = createdBy == null ? Optional.empty() : createdBy;
  }

  /** What the API shows of it. */
  public TokenInfo info() {
    return new TokenInfo(id, name, role, created, createdBy);
  }
}
