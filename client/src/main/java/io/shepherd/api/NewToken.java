package io.shepherd.api;

/**
 * The answer to {@code POST /tokens}: the token and its secret, shown this once (the server keeps only a hash).
 *
 * @param token  the token's description
 * @param secret what a client sends: {@code Authorization: Bearer <secret>}
 */
public record NewToken(TokenInfo token, String secret) {}
