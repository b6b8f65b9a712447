package io.shepherd.client;

import io.shepherd.api.ErrorMessage;
import java.net.URI;

/**
 * The resource named by the call does not exist (404): no such replica set, instance or configuration value.
 */
public final class NotFoundException extends RejectedException {
  NotFoundException(URI server, ErrorMessage error) {
    super(server, error);
  }
}
