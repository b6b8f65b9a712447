package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * Every error the REST API returns.
 *
 * @param code    the HTTP status
 * @param message what went wrong, for a person
 * @param field   the request field at fault, when one is
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record ErrorMessage(int code, String message, Optional<String> field) {
  public ErrorMessage {
    field = field == null ? Optional.empty() : field;
  }

  public ErrorMessage(int code, String message) {
    this(code, message, Optional.empty());
  }
}
