package io.shepherd.api;

/** One problem with one field of a request. */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
