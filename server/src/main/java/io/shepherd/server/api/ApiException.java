package io.shepherd.server.api;

import java.util.Optional;

/** A request the API refuses, with the HTTP status and the field at fault. Mapped to an ErrorMessage body. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final Optional<String> field;

  public ApiException(int status, String message, Optional<String> field) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, what + " not found", Optional.empty());
  }

  public static ApiException invalid(String field, String message) {
    return new ApiException(422, field + " " + message, Optional.of(field));
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message, Optional.empty());
  }

  public static ApiException preconditionFailed(String message) {
    return new ApiException(412, message, Optional.empty());
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, message, Optional.empty());
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, message, Optional.empty());
  }

  public int status() {
    return status;
  }

  public Optional<String> field() {
    return field;
  }
}
