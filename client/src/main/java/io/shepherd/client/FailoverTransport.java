package io.shepherd.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shepherd.api.ErrorMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends an {@link ApiRequest} to the configured servers in turn until one answers.
 *
 * <p>All callers share one "current" server: a failure moves everyone on to the next, a success keeps the
 * server that answered. A connection failure, a timeout or a 5xx is a server failure; a 4xx is the answer.
 */
final class FailoverTransport {
  /** A 2xx answer, and the server that gave it ({@code serverIndex} into the configured list). */
  record Answer<T>(URI server, int serverIndex, int status, HttpHeaders headers, T body) {}

  private record Body<T>(T ok, String error) {}

  private final List<URI> apiRoots;
  private final HttpClient http;
  private final ObjectMapper json;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int retries;
  private final Duration retryBackoff;
  private final AtomicInteger current = new AtomicInteger();
  private final Optional<String> authorization;

  FailoverTransport(List<URI> apiRoots, HttpClient http, ObjectMapper json, Duration connectTimeout,
      Duration requestTimeout, int retries, Duration retryBackoff) {
    this(apiRoots, http, json, connectTimeout, requestTimeout, retries, retryBackoff, Optional.empty());
  }

  /** With {@code token}, every request carries {@code Authorization: Bearer <token>}. */
  FailoverTransport(List<URI> apiRoots, HttpClient http, ObjectMapper json, Duration connectTimeout,
      Duration requestTimeout, int retries, Duration retryBackoff, Optional<String> token) {
    this.authorization = token.map(t -> "Bearer " + t);
    this.apiRoots = List.copyOf(apiRoots);
    this.http = http;
    this.json = json;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.retries = retries;
    this.retryBackoff = retryBackoff;
  }

  List<URI> servers() {
    return apiRoots;
  }

  /**
   * Sends the request, failing over as the class describes, and returns the first 2xx answer.
   *
   * @throws RejectedException        a server answered 4xx
   * @throws UnavailableException     every attempt failed
   * @throws OutcomeUnknownException  a non-idempotent request reached a server that then failed
   * @throws CallInterruptedException the calling thread was interrupted
   */
  <T> Answer<T> send(ApiRequest unauthenticated, String accept, BodyHandler<T> handler) {
    ApiRequest request = authorization.map(a -> unauthenticated.withHeader("Authorization", a))
        .orElse(unauthenticated);
    BodyHandler<Body<T>> wrapped = info -> info.statusCode() / 100 == 2
        ? BodySubscribers.mapping(handler.apply(info), ok -> new Body<T>(ok, null))
        : BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8), err -> new Body<T>(null, err));
    int n = apiRoots.size();
    // A non-idempotent request moves on only after failures that prove it was not processed, and never comes
    // back to a server it already tried.
    int attempts = request.idempotent() ? 1 + retries : Math.min(1 + retries, n);
    int start = current.get();
    List<UnavailableException.Failure> failures = new ArrayList<>();
    Throwable lastCause = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0 && attempt % n == 0) {
        pause(request);
      }
      int index = (start + attempt) % n;
      URI server = apiRoots.get(index);
      HttpResponse<Body<T>> response;
      try {
        response = http.send(request.toHttpRequest(server, requestTimeout, accept), wrapped);
      } catch (IOException e) {
        String reason = describe(e);
        failures.add(new UnavailableException.Failure(server, reason));
        lastCause = e;
        markFailed(index);
        if (!request.idempotent() && !neverReachedServer(e)) {
          throw new OutcomeUnknownException(request.describe(), server, reason, e);
        }
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CallInterruptedException(request.describe(), e);
      }
      int status = response.statusCode();
      if (status / 100 == 2) {
        current.set(index);
        return new Answer<>(server, index, status, response.headers(), response.body().ok());
      }
      ErrorMessage error = errorMessage(status, response.body().error());
      if (status >= 500) {
        String reason = status + " " + error.message();
        failures.add(new UnavailableException.Failure(server, reason));
        markFailed(index);
        // 503 means the server did not serve the request at all; any other 5xx may come after it acted.
        if (!request.idempotent() && status != 503) {
          throw new OutcomeUnknownException(request.describe(), server, reason, null);
        }
        continue;
      }
      current.set(index);
      if (status < 400) {
        throw new UnexpectedResponseException(server, status,
            request.describe() + " got " + error.message() + " from " + server, null);
      }
      throw ErrorMapping.rejection(server, status, error);
    }
    throw new UnavailableException(request.describe(), failures, lastCause);
  }

  /** Moves every later call on from {@code index}, unless another call already moved on. */
  void markFailed(int index) {
    current.compareAndSet(index, (index + 1) % apiRoots.size());
  }

  /** A failure message, one line, for a person. */
  String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + connectTimeout.toMillis() + " ms";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + requestTimeout.toMillis() + " ms";
    }
    if (neverReachedServer(e)) {
      return "connection refused";
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }

  private static boolean neverReachedServer(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  ErrorMessage errorMessage(int status, String body) {
    if (body != null && !body.isBlank()) {
      try {
        ErrorMessage parsed = json.readValue(body, ErrorMessage.class);
        if (parsed.message() != null && !parsed.message().isBlank()) {
          return new ErrorMessage(status, parsed.message(), parsed.field());
        }
      } catch (IOException | RuntimeException notAnErrorMessage) {
        // A proxy's HTML page or plain text: show its start instead.
      }
      String text = ShepherdException.oneLine(body);
      String start = text.length() > 200 ? text.substring(0, 200) + "..." : text;
      return new ErrorMessage(status, "HTTP " + status + ": " + start);
    }
    return new ErrorMessage(status, "HTTP " + status);
  }

  private void pause(ApiRequest request) {
    try {
      Thread.sleep(retryBackoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallInterruptedException(request.describe(), e);
    }
  }
}
