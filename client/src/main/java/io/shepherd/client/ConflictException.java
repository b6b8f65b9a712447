package io.shepherd.client;

import io.shepherd.api.ErrorMessage;
import java.net.URI;

/**
 * The call conflicts with the resource's state (409), e.g. writing a replica set that is being deleted.
 */
public final class ConflictException extends RejectedException {
  ConflictException(URI server, ErrorMessage error) {
    super(server, error);
  }
}
