package io.shepherd.server.auth;

import io.dropwizard.auth.Authenticator;
import io.shepherd.server.api.ApiException;
import java.util.Optional;

/**
 * Turns a bearer secret into its {@link Caller}: the token its id names, if the secret's hash matches. A malformed,
 * unknown, revoked or wrong secret is no caller at all (401). ZooKeeper trouble while reading a token that is not
 * cached propagates (503): a server that cannot check a token does not guess.
 */
public final class TokenAuthenticator implements Authenticator<String, Caller> {
  private final TokenStore tokens;

  public TokenAuthenticator(TokenStore tokens) {
    this.tokens = tokens;
  }

  @Override
  public Optional<Caller> authenticate(String secret) {
    Optional<String> id = TokenSecrets.idOf(secret);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Optional<TokenRecord> record;
    try {
      record = tokens.find(id.get());
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading a token", e);
    } catch (Exception e) {
      throw ApiException.unavailable("ZooKeeper is unavailable, so the API token could not be checked; try again");
    }
    return record.filter(r -> TokenSecrets.matches(r, secret)).map(r -> new Caller(r.id(), r.name(), r.role()));
  }
}
