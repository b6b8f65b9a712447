package io.shepherd.client;

import io.shepherd.api.ErrorMessage;
import java.net.URI;

/**
 * An {@code If-Match} version no longer matches (412): someone else changed the resource since it was read.
 * Read it again, reapply the change, and send it with the new version.
 */
public final class PreconditionFailedException extends RejectedException {
  PreconditionFailedException(URI server, ErrorMessage error) {
    super(server, error);
  }
}
