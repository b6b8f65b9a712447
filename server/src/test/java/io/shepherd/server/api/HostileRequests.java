package io.shepherd.server.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile requests for any endpoint ("METHOD /path/{param}"), drawn from a seeded {@link Random}: odd names in the
 * path, garbage query parameters, wrong or missing headers and credentials, and bodies that start from a valid one
 * and are mutated (wrong types, deep nesting, unknown fields, huge numbers, broken JSON). The same seed gives the
 * same requests.
 */
final class HostileRequests {
  /** Which credential a request carries. */
  enum Credential { NONE, GARBAGE, VIEWER, OPERATOR, ADMIN }

  /** One request: its method, path and query (already encoded), headers, body (null: none) and credential. */
  record Request(String endpoint, String method, String pathAndQuery, Map<String, String> headers, String body,
      Credential credential) {
    @Override
    public String toString() {
      String b = body == null ? "" : " body=" + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
      return method + " " + pathAndQuery + " " + credential + " " + headers + b;
    }
  }

  private static final String[] GOOD_NAMES = {"web", "api", "fuzz-1", "w"};
  private static final String[] ODD_SEGMENTS = {"Bad_Name", "a".repeat(300), "%2e%2e", "..", ".", "%00", "web%2Fx",
      "web;x=1", "%C3%BC", "%E2%80%AE", "%20web", "web%20", "-web", "web-", "1", "%25", "web%3Fx", "%0A", "%7B%7D",
      "web%00x", "%EF%BF%BF", "%2F%2F", "~", "*", "null"};
  private static final String[] QUERY_KEYS = {"ready", "scale", "tail", "follow", "since", "access_token", "x", ""};
  private static final String[] QUERY_VALUES = {"true", "false", "ture", "-1", "99999999999999999999", "", "%00",
      "a%20b", "1e3", "NaN", "x".repeat(2000), "%E2%80%AE", "0", "1", "TRUE"};
  private static final String[] IF_MATCH = {"\"0\"", "*", "garbage", "\"-1\"", "\"99999999999\"", "W/\"1\"", "\"\"",
      "\"1\", \"2\"", ""};
  private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/json",
      "text/plain", "application/xml", "application/json; charset=latin-1", "garbage", "multipart/form-data"};
  private static final String[] ACCEPTS = {"*/*", "application/json", "text/html", "application/xml",
      "text/event-stream", "garbage/garbage"};
  private static final String[] GARBAGE_CREDENTIALS = {"Bearer", "Bearer ", "Bearer shp_", "Basic YWRtaW46YWRtaW4=",
      "Bearer shp_aaaaaaaaaaaaaaaa_" + "A".repeat(43), "Bearer " + "x".repeat(5000), "Token abc", "Bearer \u00e9"};

  private final Random random;
  private final Map<Credential, String> secrets;

  /** {@code secrets}: the secret of a token of each role (VIEWER, OPERATOR, ADMIN). */
  HostileRequests(Random random, Map<Credential, String> secrets) {
    this.random = random;
    this.secrets = secrets;
  }

  Request next(String endpoint) {
    String method = endpoint.substring(0, endpoint.indexOf(' '));
    String template = endpoint.substring(endpoint.indexOf(' ') + 1);
    String path = template.replace("{name}", segment()).replace("{id}", segment()).replace("{key}", segment());
    String query = chance(0.4) ? "?" + query() : "";
    Map<String, String> headers = new LinkedHashMap<>();
    Credential credential = credential();
    switch (credential) {
      case NONE -> { }
      case GARBAGE -> headers.put("Authorization", pick(GARBAGE_CREDENTIALS).strip());
      default -> headers.put("Authorization", "Bearer " + secrets.get(credential));
    }
    String body = null;
    if (method.equals("PUT") || method.equals("POST")) {
      body = body(template);
      if (chance(0.9)) {
        headers.put("Content-Type", pick(CONTENT_TYPES));
      }
    }
    if (chance(0.3)) {
      headers.put("If-Match", pick(IF_MATCH));
    }
    if (chance(0.2)) {
      headers.put("Last-Event-ID", pick(QUERY_VALUES).replace("%", ""));
    }
    if (chance(0.2)) {
      headers.put("Accept", pick(ACCEPTS));
    }
    headers.values().removeIf(String::isEmpty);
    return new Request(endpoint, method, path + query, headers, body, credential);
  }

  private Credential credential() {
    double r = random.nextDouble();
    return r < 0.2 ? Credential.NONE : r < 0.3 ? Credential.GARBAGE : r < 0.45 ? Credential.VIEWER
        : r < 0.65 ? Credential.OPERATOR : Credential.ADMIN;
  }

  private String segment() {
    if (chance(0.65)) {
      return pick(GOOD_NAMES);
    }
    if (chance(0.3)) {
      return URLEncoder.encode(randomText(1 + random.nextInt(20)), StandardCharsets.UTF_8).replace("+", "%20");
    }
    return pick(ODD_SEGMENTS);
  }

  private String query() {
    List<String> pairs = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      String key = pick(QUERY_KEYS);
      pairs.add(chance(0.1) ? key : key + "=" + pick(QUERY_VALUES));
    }
    return String.join("&", pairs);
  }

  /** A valid body for the endpoint, then mutated, or garbage outright. */
  private String body(String template) {
    if (chance(0.15)) {
      return garbage();
    }
    Map<String, Object> body = new LinkedHashMap<>(validBody(template));
    for (int i = 0, n = random.nextInt(4); i < n; i++) {
      List<String> keys = new ArrayList<>(body.keySet());
      double r = random.nextDouble();
      if (r < 0.5 && !keys.isEmpty()) {
        body.put(keys.get(random.nextInt(keys.size())), randomValue(0));
      } else if (r < 0.7 && !keys.isEmpty()) {
        body.remove(keys.get(random.nextInt(keys.size())));
      } else {
        body.put(chance(0.5) ? randomText(8) : pick(new String[] {"crashLoop", "probes", "env", "ports", "restart",
            "liveness", "readiness", "startup", "nodeSelector", "stopGraceMs", "workingDir"}), randomValue(0));
      }
    }
    return Json.write(body);
  }

  private static Map<String, Object> validBody(String template) {
    if (template.endsWith("/replicas")) {
      return Map.of("replicas", 1);
    }
    if (template.startsWith("/api/v1/replicasets/")) {
      return Map.of("replicas", 0, "command", List.of("sleep", "60"));
    }
    if (template.startsWith("/api/v1/config/")) {
      return Map.of("value", "v");
    }
    if (template.startsWith("/api/v1/breaker")) {
      return Map.of("open", false);
    }
    if (template.startsWith("/api/v1/tokens")) {
      return Map.of("name", "fuzzed", "role", "viewer");
    }
    return Map.of();
  }

  private Object randomValue(int depth) {
    int kind = random.nextInt(depth > 3 ? 8 : 11);
    return switch (kind) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt();
      case 3 -> random.nextLong();
      case 4 -> random.nextDouble() * 1e30;
      case 5 -> new java.math.BigInteger(200, random);
      case 6 -> randomText(random.nextInt(40));
      case 7 -> pick(new String[] {"", "..", "/", "${PORT}", "KEEP_RUNNING", "viewer", "admin", "-1"});
      case 8 -> java.util.Arrays.asList(randomValue(depth + 1), randomValue(depth + 1));
      case 9 -> java.util.Collections.singletonMap(randomText(5), randomValue(depth + 1));
      default -> Json.Raw.nested(random.nextInt(3000), random.nextBoolean());
    };
  }

  private String garbage() {
    return switch (random.nextInt(8)) {
      case 0 -> "";
      case 1 -> "{";
      case 2 -> "null";
      case 3 -> "[]";
      case 4 -> Json.Raw.nested(500 + random.nextInt(3000), random.nextBoolean()).json();
      case 5 -> "{\"replicas\":1,\"replicas\":2,\"command\":[\"sleep\",\"1\"]}";
      case 6 -> randomText(200);
      default -> "{\"replicas\":1e400,\"command\":[\"sleep\",\"1\"]}";
    };
  }

  private String randomText(int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(10);
      sb.appendCodePoint(pick < 6 ? 'a' + random.nextInt(26) : pick < 8 ? 0x20 + random.nextInt(0x5f)
          : pick < 9 ? random.nextInt(0x20) : 0xa0 + random.nextInt(0x2000));
    }
    return sb.toString();
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <T> T pick(T[] from) {
    return from[random.nextInt(from.length)];
  }

  /** A JSON writer small enough to emit what a mapper would refuse to build (deep nesting). */
  static final class Json {
    private Json() {}

    /** Raw JSON text, written as is. */
    record Raw(String json) {
      static Raw nested(int depth, boolean arrays) {
        return new Raw(arrays ? "[".repeat(depth) + "]".repeat(depth)
            : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
      }
    }

    static String write(Object value) {
      StringBuilder sb = new StringBuilder();
      write(value, sb);
      return sb.toString();
    }

    private static void write(Object value, StringBuilder sb) {
      if (value == null) {
        sb.append("null");
      } else if (value instanceof Raw raw) {
        sb.append(raw.json());
      } else if (value instanceof String s) {
        sb.append('"');
        s.codePoints().forEach(c -> {
          if (c == '"' || c == '\\') {
            sb.append('\\').appendCodePoint(c);
          } else if (c < 0x20) {
            sb.append(String.format("\\u%04x", c));
          } else {
            sb.appendCodePoint(c);
          }
        });
        sb.append('"');
      } else if (value instanceof Map<?, ?> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          write(String.valueOf(e.getKey()), sb);
          sb.append(':');
          write(e.getValue(), sb);
        }
        sb.append('}');
      } else if (value instanceof List<?> list) {
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(list.get(i), sb);
        }
        sb.append(']');
      } else {
        sb.append(value);
      }
    }
  }
}
