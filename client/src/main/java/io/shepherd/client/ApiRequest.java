package io.shepherd.client;

import io.shepherd.api.ETags;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One REST call, independent of the server it is sent to: method, path under {@code /api/v1}, query, headers,
 * JSON body, and whether it may be repeated on another server.
 */
record ApiRequest(
    String method,
    String path,
    Map<String, String> query,
    Map<String, String> headers,
    Optional<String> jsonBody,
    Idempotence idempotence) {

  /** Whether sending a call twice has the same effect as sending it once. */
  enum Idempotence {
    /** Safe to repeat on another server after any failure. */
    IDEMPOTENT,
    /** Repeated only when the first server provably did not process it (connection refused, 503). */
    NOT_IDEMPOTENT
  }

  ApiRequest {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
  }

  static ApiRequest get(String path) {
    return new ApiRequest("GET", path, Map.of(), Map.of(), Optional.empty(), Idempotence.IDEMPOTENT);
  }

  static ApiRequest put(String path, String json) {
    return new ApiRequest("PUT", path, Map.of(), Map.of(), Optional.of(json), Idempotence.IDEMPOTENT);
  }

  /** A POST without a body; never repeated after a server may have acted on it. */
  static ApiRequest post(String path) {
    return new ApiRequest("POST", path, Map.of(), Map.of(), Optional.empty(), Idempotence.NOT_IDEMPOTENT);
  }

  /** A POST with a JSON body; never repeated after a server may have acted on it. */
  static ApiRequest post(String path, String json) {
    return new ApiRequest("POST", path, Map.of(), Map.of(), Optional.of(json), Idempotence.NOT_IDEMPOTENT);
  }

  static ApiRequest delete(String path) {
    return new ApiRequest("DELETE", path, Map.of(), Map.of(), Optional.empty(), Idempotence.IDEMPOTENT);
  }

  /** A path under {@code /api/v1} from its segments, each percent-encoded (so a name cannot add segments). */
  static String path(String... segments) {
    StringBuilder path = new StringBuilder();
    for (String segment : segments) {
      if (segment == null || segment.isEmpty()) {
        throw new IllegalArgumentException("a name, id or key must not be empty");
      }
      // "." and ".." would be resolved away by URI normalization; encoded, they stay names.
      String encoded = segment.equals(".") || segment.equals("..") ? segment.replace(".", "%2E") : encode(segment);
      path.append('/').append(encoded);
    }
    return path.toString();
  }

  ApiRequest withQuery(String name, String value) {
    Map<String, String> q = new LinkedHashMap<>(query);
    q.put(name, value);
    return new ApiRequest(method, path, q, headers, jsonBody, idempotence);
  }

  ApiRequest withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new ApiRequest(method, path, query, h, jsonBody, idempotence);
  }

  ApiRequest withIfMatch(int version) {
    return withHeader("If-Match", ETags.of(version));
  }

  ApiRequest notIdempotent() {
    return new ApiRequest(method, path, query, headers, jsonBody, Idempotence.NOT_IDEMPOTENT);
  }

  boolean idempotent() {
    return idempotence == Idempotence.IDEMPOTENT;
  }

  /** How the call is named in messages: {@code GET /replicasets/web}. */
  String describe() {
    return method + " " + path;
  }

  /** The URI of this call on a server whose API root is {@code apiRoot} (ending in {@code /api/v1}). */
  URI uri(URI apiRoot) {
    String q = query.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    return URI.create(apiRoot + path + (q.isEmpty() ? "" : "?" + q));
  }

  HttpRequest toHttpRequest(URI apiRoot, Duration timeout, String accept) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(apiRoot)).timeout(timeout).header("Accept", accept);
    headers.forEach(builder::header);
    if (jsonBody.isPresent()) {
      builder.header("Content-Type", "application/json");
      builder.method(method, HttpRequest.BodyPublishers.ofString(jsonBody.get(), StandardCharsets.UTF_8));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return builder.build();
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters; URLEncoder would turn ' ' into '+'. */
  private static String encode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.write(c);
      } else {
        out.writeBytes(String.format("%%%02X", b & 0xff).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
