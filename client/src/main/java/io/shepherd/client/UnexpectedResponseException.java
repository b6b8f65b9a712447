package io.shepherd.client;

import java.net.URI;

/** A server answered with something the client cannot use: an unexpected status or an unreadable body. */
public final class UnexpectedResponseException extends ShepherdException {
  private final URI server;
  private final int status;

  UnexpectedResponseException(URI server, int status, String message, Throwable cause) {
    super(message, cause);
    this.server = server;
    this.status = status;
  }

  /** The server that answered. */
  public URI server() {
    return server;
  }

  /** The HTTP status of its answer. */
  public int status() {
    return status;
  }
}
