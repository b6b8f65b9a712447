package io.shepherd.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.shepherd.api.ErrorMessage;
import io.shepherd.api.ShepherdJson;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The API's error shape for the requests Jetty refuses itself, before Jersey sees them (a path with a control
 * character or an ambiguous encoding, a malformed request line or header): {@code {"code": N, "message": "..."}} as
 * JSON, for every method, instead of Jetty's HTML page (or, for a DELETE, no body at all), with
 * {@code Connection: close}.
 */
public final class ErrorPages extends ErrorHandler {
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(JSON);
    // Jetty closes the connection after refusing a request itself; saying so keeps a client from sending its next
    // request on a connection that is about to go (which it would see as a connection closed without an answer).
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, body(code, message), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(JSON);
    fields.put(HttpHeader.CONNECTION, "close");
    return body(status, reason);
  }

  private static ByteBuffer body(int code, String message) {
    String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
    try {
      return ByteBuffer.wrap(ShepherdJson.newMapper().writeValueAsBytes(
          new ErrorMessage(code, "the HTTP server refused the request: " + reason, Optional.empty())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an error message is always JSON", e);
    }
  }
}
