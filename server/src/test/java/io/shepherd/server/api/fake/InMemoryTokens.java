package io.shepherd.server.api.fake;

import io.shepherd.api.Role;
import io.shepherd.server.auth.TokenRecord;
import io.shepherd.server.auth.TokenSecrets;
import io.shepherd.server.auth.TokenStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** Tokens in memory, for resource tests: one token of each role is always there ({@link #secret}). */
public final class InMemoryTokens implements TokenStore {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private final Map<String, TokenRecord> tokens = new ConcurrentHashMap<>();
  private final Map<Role, TokenSecrets.Issued> standing = new ConcurrentHashMap<>();

  public InMemoryTokens() {
    Random random = new Random(12);
    for (Role role : Role.values()) {
      TokenSecrets.Issued issued = TokenSecrets.issue(random, role.id(), role, CREATED, Optional.empty());
      standing.put(role, issued);
    }
    reset();
  }

  /** The secret of the standing token of {@code role}, named after the role ("admin", "operator", "viewer"). */
  public String secret(Role role) {
    return standing.get(role).secret();
  }

  /** Back to the standing tokens only. */
  public void reset() {
    tokens.clear();
    standing.values().forEach(i -> tokens.put(i.record().id(), i.record()));
  }

  @Override
  public Optional<TokenRecord> find(String id) {
    return Optional.ofNullable(tokens.get(id));
  }

  @Override
  public List<TokenRecord> list() {
    return tokens.values().stream()
        .sorted(Comparator.comparing(TokenRecord::created).thenComparing(TokenRecord::id)).toList();
  }

  @Override
  public void create(TokenRecord token) {
    tokens.put(token.id(), token);
  }

  @Override
  public boolean revoke(String id) {
    return tokens.remove(id) != null;
  }
}
