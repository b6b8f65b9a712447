package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who the server takes the caller of {@code GET /api/v1/whoami} to be.
 *
 * @param name the principal the request's token names; {@code null} when the server authenticates no request
 * @param role the highest role the principal holds: {@code "viewer"}, {@code "operator"} or {@code "admin"};
 *             {@code null} when there is no principal (the server authenticates no request) or it holds none
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Caller(String name, String role) {
  public static final String VIEWER = "viewer";
  public static final String OPERATOR = "operator";
  public static final String ADMIN = "admin";
}
