package io.shepherd.server.auth;

import java.util.List;
import java.util.Optional;

/** Where API tokens live ({@code /tokens/{id}} in ZooKeeper); a fake in resource tests. */
public interface TokenStore {
  /** The token with this id, if it exists now (revoked tokens do not). */
  Optional<TokenRecord> find(String id) throws Exception;

  /** Every token, oldest first. */
  List<TokenRecord> list() throws Exception;

  /** Stores a new token. */
  void create(TokenRecord token) throws Exception;

  /** Removes a token; false if there was none with this id. */
  boolean revoke(String id) throws Exception;
}
