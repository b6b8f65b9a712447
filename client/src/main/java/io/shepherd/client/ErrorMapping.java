package io.shepherd.client;

import io.shepherd.api.ErrorMessage;
import java.net.URI;

/** Which {@link RejectedException} a 4xx answer becomes. */
final class ErrorMapping {
  private ErrorMapping() {}

  static RejectedException rejection(URI server, int status, ErrorMessage error) {
    return switch (status) {
      case 400, 422 -> new ValidationException(server, error);
      case 404 -> new NotFoundException(server, error);
      case 409 -> new ConflictException(server, error);
      case 412 -> new PreconditionFailedException(server, error);
      default -> new RejectedException(server, error);
    };
  }
}
