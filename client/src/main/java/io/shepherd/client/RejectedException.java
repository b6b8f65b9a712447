package io.shepherd.client;

import io.shepherd.api.ErrorMessage;
import java.net.URI;
import java.util.Optional;

/**
 * A server answered the call with a client error (4xx): it understood the request and refused it. Retrying the
 * same request elsewhere would not help, so it is never retried. The subclasses name the common refusals; an
 * instance of this class itself is any other 4xx (401, 403, 405, ...).
 */
public sealed class RejectedException extends ShepherdException
    permits NotFoundException, ConflictException, PreconditionFailedException, ValidationException {

  private final URI server;
  private final ErrorMessage error;

  RejectedException(URI server, ErrorMessage error) {
    this(server, error, error.message());
  }

  RejectedException(URI server, ErrorMessage error, String message) {
    super(message, null);
    this.server = server;
    this.error = error;
  }

  /** The server that refused. */
  public URI server() {
    return server;
  }

  /** The HTTP status. */
  public int status() {
    return error.code();
  }

  /** The server's error body (or one made from the status when the body was not one). */
  public ErrorMessage error() {
    return error;
  }

  /** The request field at fault, when the server named one. */
  public Optional<String> field() {
    return error.field();
  }
}
