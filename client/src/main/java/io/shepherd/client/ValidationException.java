package io.shepherd.client;

import io.shepherd.api.ErrorMessage;
import java.net.URI;

/**
 * The request was malformed (400: not JSON, wrong types) or invalid (422: a value breaks a rule of
 * {@link io.shepherd.api.SpecValidation}). {@link #field()} names the field at fault when the server named one;
 * the message then starts with it.
 */
public final class ValidationException extends RejectedException {
  ValidationException(URI server, ErrorMessage error) {
    super(server, error, error.field().map(f -> f + ": " + error.message()).orElse(error.message()));
  }
}
